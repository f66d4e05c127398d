using Azure.Storage.Queues;

namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// <c>replay</c> on Storage Queues (<see cref="ReplayLoop"/>): moves messages from a <c>&lt;queue&gt;-poison</c> queue
/// back to their queue: the host's poison messages as they are, and the app's <c>{"reason","queue","message"}</c>
/// wrappers as their original text. A host's copy the sweep has not taken in yet has its work recorded as failed first.
/// </summary>
public sealed class PoisonReplay(QueueServiceClient queues, PoisonBookkeeping bookkeeping)
{
    /// <param name="callId">Only messages for this call (their <c>call_id</c>).</param>
    /// <param name="gone">Why a message's call was purged or erased: such messages are refused (see <see cref="ReplayLoop"/>).</param>
    public async Task<IReadOnlyList<ReplayedMessage>> RunAsync(
        string poisonQueue, int max, bool dryRun, string? callId, CancellationToken cancellationToken,
        Func<ReplayedMessage, CancellationToken, Task<string?>>? gone = null, bool dropGone = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(poisonQueue);
        var source = queues.GetQueueClient(poisonQueue);
        if (!await source.ExistsAsync(cancellationToken))
        {
            return [];
        }

        await using var pass = new StoragePoisonPass(source);
        return await ReplayLoop.RunAsync(pass, poisonQueue, max, dryRun, callId, bookkeeping, SendBackAsync, cancellationToken, gone, dropGone);
    }

    private Task SendBackAsync(ReplayedMessage replay, CancellationToken cancellationToken) =>
        queues.GetQueueClient(replay.TargetQueue).SendMessageAsync(replay.Text, null, TimeSpan.FromSeconds(-1), cancellationToken);
}
