namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// What <c>replay</c> does on every transport: reads each message of the pass (the app's wrapper unwrapped), keeps to
/// one call when asked, records the work of a message the transport gave up on by itself as failed before moving it
/// (<see cref="PoisonBookkeeping"/>: so the replayed message finds the state it expects), sends it back to its queue
/// and removes it. A dry run only looks. Safe to run twice: the engine drops a replayed message whose work is done.
/// </summary>
internal static class ReplayLoop
{
    /// <param name="callId">Only messages for this call (their <c>call_id</c>).</param>
    /// <param name="sendBack">Sends a message back to its <see cref="ReplayedMessage.TargetQueue"/>.</param>
    /// <param name="gone">
    /// Why a message's call is gone (purged, erased), if it is: such a message is refused (it would bring back data the
    /// deletion removed, or fail for want of it), listed with <see cref="ReplayedMessage.Gone"/> set, and removed only when
    /// <paramref name="dropGone"/>.
    /// </param>
    public static async Task<IReadOnlyList<ReplayedMessage>> RunAsync<TMessage>(
        IGivenUpPass<TMessage> pass,
        string poisonQueue,
        int max,
        bool dryRun,
        string? callId,
        PoisonBookkeeping bookkeeping,
        Func<ReplayedMessage, CancellationToken, Task> sendBack,
        CancellationToken cancellationToken,
        Func<ReplayedMessage, CancellationToken, Task<string?>>? gone = null,
        bool dropGone = false)
    {
        var moved = new List<ReplayedMessage>();
        while (moved.Count < max)
        {
            var batch = await pass.ReceiveAsync(Math.Min(32, max - moved.Count), cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                var replay = ReplayedMessage.Read(poisonQueue, pass.IdOf(message), pass.TextOf(message));
                if (callId is not null && replay.CallId != callId)
                {
                    pass.Hold(message);
                    continue;
                }

                if (replay.CallId is not null && gone is not null && await gone(replay, cancellationToken) is { } why)
                {
                    replay = replay with { Gone = why };
                    if (dropGone && !dryRun)
                    {
                        await pass.RemoveAsync(message, cancellationToken);
                    }
                    else
                    {
                        pass.Hold(message);
                    }
                }
                else if (dryRun)
                {
                    pass.Hold(message);
                }
                else
                {
                    if (replay.Reason is null)
                    {
                        await bookkeeping.RecordAsync(replay.TargetQueue, replay.Text, pass.ReasonOf(message), cancellationToken);
                    }

                    await sendBack(replay, cancellationToken);
                    await pass.RemoveAsync(message, cancellationToken);
                }

                moved.Add(replay);
            }
        }

        return moved;
    }
}
