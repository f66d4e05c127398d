using Azure.Messaging.ServiceBus;

namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// <c>replay</c> on Service Bus: moves messages from a <c>&lt;queue&gt;-poison</c> queue (the app's wrappers, unwrapped)
/// or a dead-letter queue (<c>&lt;queue&gt;/$deadletterqueue</c>, as they are) back to their queue. A dead letter the sweep
/// has not taken in yet has its work recorded as failed first (<see cref="PoisonBookkeeping"/>). Each replayed message
/// gets a message id of its own, so the <c>events</c> queue's duplicate detection does not drop a replay of an event
/// delivered within its window. A dry run only peeks (a peek does not count as a delivery).
/// </summary>
public sealed class ServiceBusPoisonReplay(ServiceBusClient client, PoisonBookkeeping bookkeeping)
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(2);

    /// <param name="callId">Only messages for this call (their <c>call_id</c>).</param>
    public async Task<IReadOnlyList<ReplayedMessage>> RunAsync(
        ReplaySource source, int max, bool dryRun, string? callId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var receiver = client.CreateReceiver(
            source.Entity, new ServiceBusReceiverOptions { SubQueue = source.DeadLetters ? SubQueue.DeadLetter : SubQueue.None });
        return dryRun
            ? await PeekAsync(receiver, source, max, callId, cancellationToken)
            : await MoveAsync(receiver, source, max, callId, cancellationToken);
    }

    private static async Task<IReadOnlyList<ReplayedMessage>> PeekAsync(
        ServiceBusReceiver receiver, ReplaySource source, int max, string? callId, CancellationToken cancellationToken)
    {
        var found = new List<ReplayedMessage>();
        long? from = null;
        while (found.Count < max)
        {
            var batch = await receiver.PeekMessagesAsync(32, from, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            found.AddRange(batch.Select(message => ReplayOf(source, message))
                .Where(replay => callId is null || replay.CallId == callId)
                .Take(max - found.Count));
            from = batch[^1].SequenceNumber + 1;
        }

        return found;
    }

    private async Task<IReadOnlyList<ReplayedMessage>> MoveAsync(
        ServiceBusReceiver receiver, ReplaySource source, int max, string? callId, CancellationToken cancellationToken)
    {
        var moved = new List<ReplayedMessage>();
        var held = new List<ServiceBusReceivedMessage>();
        var senders = new Dictionary<string, ServiceBusSender>(StringComparer.Ordinal);
        try
        {
            while (moved.Count < max)
            {
                var batch = await receiver.ReceiveMessagesAsync(Math.Min(32, max - moved.Count), MaxWait, cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }

                foreach (var message in batch)
                {
                    var replay = ReplayOf(source, message);
                    if (callId is not null && replay.CallId != callId)
                    {
                        held.Add(message);
                        continue;
                    }

                    if (replay.Reason is null)
                    {
                        await bookkeeping.RecordAsync(replay.TargetQueue, replay.Text, ReasonOf(source, message), cancellationToken);
                    }

                    if (!senders.TryGetValue(replay.TargetQueue, out var sender))
                    {
                        senders[replay.TargetQueue] = sender = client.CreateSender(replay.TargetQueue);
                    }

                    await sender.SendMessageAsync(
                        new ServiceBusMessage(replay.Text)
                        {
                            MessageId = Guid.NewGuid().ToString("N"),
                            Subject = "replay",
                            ContentType = "application/json",
                        },
                        cancellationToken);
                    await receiver.CompleteMessageAsync(message, cancellationToken);
                    moved.Add(replay);
                }
            }
        }
        finally
        {
            // Give back at once what was only looked at (held until now, so one run never receives it twice).
            foreach (var message in held)
            {
                await receiver.AbandonMessageAsync(message, cancellationToken: CancellationToken.None);
            }

            foreach (var sender in senders.Values)
            {
                await sender.DisposeAsync();
            }
        }

        return moved;
    }

    private static ReplayedMessage ReplayOf(ReplaySource source, ServiceBusReceivedMessage message) =>
        PoisonReplay.Unwrap(source.Entity, message.Body.ToString()) with { MessageId = message.MessageId };

    private static string ReasonOf(ReplaySource source, ServiceBusReceivedMessage message) =>
        source.DeadLetters ? ServiceBusDeadLetterSweeper.ReasonOf(message) : PoisonBookkeeping.HostGaveUp;
}
