using Azure.Storage.Queues;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// Moves messages from a <c>&lt;queue&gt;-poison</c> queue back to their queue: the host's poison messages as they
/// are, and the app's <c>{"reason","queue","message"}</c> wrappers as their original text. Safe to run twice: the
/// engine drops a replayed message whose work is done. A host's copy the sweep has not taken in yet has its work
/// recorded as failed first (<see cref="PoisonBookkeeping"/>), so the replayed message finds the state it expects.
/// </summary>
public sealed class PoisonReplay(QueueServiceClient queues, PoisonBookkeeping bookkeeping)
{
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(30);

    /// <param name="callId">Only messages for this call (their <c>call_id</c>).</param>
    public async Task<IReadOnlyList<ReplayedMessage>> RunAsync(
        string poisonQueue, int max, bool dryRun, string? callId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(poisonQueue);
        var source = queues.GetQueueClient(poisonQueue);
        if (!await source.ExistsAsync(cancellationToken))
        {
            return [];
        }

        var moved = new List<ReplayedMessage>();
        var held = new List<(string Id, string Receipt)>();
        while (moved.Count < max)
        {
            var batch = (await source.ReceiveMessagesAsync(Math.Min(32, max - moved.Count), Hold, cancellationToken)).Value;
            if (batch.Length == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                var replay = Unwrap(poisonQueue, message.MessageText) with { MessageId = message.MessageId };
                if (callId is not null && replay.CallId != callId)
                {
                    held.Add((message.MessageId, message.PopReceipt));
                    continue;
                }

                if (!dryRun)
                {
                    if (replay.Reason is null)
                    {
                        await bookkeeping.RecordAsync(replay.TargetQueue, replay.Text, PoisonBookkeeping.HostGaveUp, cancellationToken);
                    }

                    await queues.GetQueueClient(replay.TargetQueue).SendMessageAsync(replay.Text, null, TimeSpan.FromSeconds(-1), cancellationToken);
                    await source.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                }
                else
                {
                    held.Add((message.MessageId, message.PopReceipt));
                }

                moved.Add(replay);
            }
        }

        // Give back what was only looked at.
        foreach (var (id, receipt) in held)
        {
            await source.UpdateMessageAsync(id, receipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: cancellationToken);
        }

        return moved;
    }

    internal static ReplayedMessage Unwrap(string poisonQueue, string text)
    {
        var target = poisonQueue.EndsWith("-poison", StringComparison.Ordinal) ? poisonQueue[..^"-poison".Length] : poisonQueue;
        string? reason = null;
        // Anything but the app's wrapper (the host's copy, or not JSON) is replayed as it is; the consumer says why it
        // cannot use it.
        if (PoisonQueue.TryUnwrap(text, out var why, out var queue, out var original))
        {
            reason = why;
            target = queue ?? target;
            text = original;
        }

        return new ReplayedMessage(string.Empty, target, text, CallIdOf(text), reason);
    }

    private static string? CallIdOf(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("call_id", out var id)
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
