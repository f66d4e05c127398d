using System.Collections.Concurrent;
using Azure.Storage.Queues;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// Looks after what the Functions host moves to <c>&lt;queue&gt;-poison</c> by itself: a message whose last try failed,
/// crashed or timed out. The host's copy is the original text with the default 7-day time-to-live, and the app may
/// never have seen its last try. For each such copy the sweep records what the message left undone
/// (<see cref="PoisonBookkeeping"/>: the run is failed, with the reason) and puts the app's never-expiring wrapper
/// <c>{"reason","queue","message"}</c> in its place, so <c>replay</c> works on it after any delay. Run by the
/// <c>PoisonSweep</c> timer function (<see cref="WorkflowOptions.PoisonSweepScheduleSetting"/>). A poison queue whose
/// length has not changed since the last sweep holds only wrappers and costs one request.
/// </summary>
public sealed partial class PoisonSweeper(
    QueueServiceClient queues,
    PoisonQueue poison,
    PoisonBookkeeping bookkeeping,
    WorkflowDefinition workflow,
    ILogger<PoisonSweeper> logger) : IPoisonSweeper
{
    /// <summary>Most messages looked at in one poison queue per sweep; the next sweep goes on.</summary>
    private const int MaxPerQueue = 1_000;

    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, int> _lengthAfterLastSweep = new(StringComparer.Ordinal);

    /// <summary>The queues whose poison queues are swept: <c>events</c>, <c>transcript-fetch</c> and every step's.</summary>
    public IReadOnlyList<string> Queues { get; } = QueueNames.WorkQueues(workflow.RegisteredSteps);

    public async Task<int> SweepQueueAsync(string queue, CancellationToken cancellationToken)
    {
        var source = queues.GetQueueClient(QueueNames.PoisonOf(queue));
        int length;
        try
        {
            length = (await source.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }

        if (length == 0 || _lengthAfterLastSweep.TryGetValue(queue, out var last) && last == length)
        {
            return 0;
        }

        var taken = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var held = new List<(string Id, string Receipt)>();
        try
        {
            while (seen.Count < MaxPerQueue)
            {
                var batch = (await source.ReceiveMessagesAsync(32, Hold, cancellationToken)).Value;
                if (batch.Length == 0)
                {
                    break;
                }

                if (batch.Any(m => seen.Contains(m.MessageId)))
                {
                    // Round the whole queue: give these back too, with the receipts they have now.
                    held.RemoveAll(h => batch.Any(m => m.MessageId == h.Id));
                    held.AddRange(batch.Select(m => (m.MessageId, m.PopReceipt)));
                    break;
                }

                seen.UnionWith(batch.Select(m => m.MessageId));
                foreach (var message in batch)
                {
                    if (PoisonQueue.TryUnwrap(message.MessageText, out _, out _, out _))
                    {
                        held.Add((message.MessageId, message.PopReceipt));
                        continue;
                    }

                    await bookkeeping.RecordAsync(queue, message.MessageText, PoisonBookkeeping.HostGaveUp, cancellationToken);
                    await poison.SendAsync(queue, message.MessageText, PoisonBookkeeping.HostGaveUp, cancellationToken);
                    Telemetry.WebhookTelemetry.Poisoned(queue, Telemetry.PoisonOrigin.Host);
                    await source.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                    LogTaken(QueueNames.PoisonOf(queue), message.MessageId);
                    taken++;
                }
            }
        }
        finally
        {
            // Give back what was only looked at, so replay sees it at once.
            foreach (var (id, receipt) in held)
            {
                try
                {
                    await source.UpdateMessageAsync(id, receipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None);
                }
                catch (RequestFailedException e) when (e.Status is 404 or 400)
                {
                    // Replayed (deleted) meanwhile.
                }
            }
        }

        _lengthAfterLastSweep[queue] = length;
        return taken;
    }

    [LoggerMessage(1, LogLevel.Warning, "Took in the host's poison copy {MessageId} on {PoisonQueue}: its work is recorded as failed and it never expires")]
    private partial void LogTaken(string poisonQueue, string messageId);
}
