namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// The step protocol as a pure decision: the run as read, the message, and which queue message carries it give
/// what to do. <see cref="StepRunner"/> does the I/O around it.
/// </summary>
public readonly record struct StepDecision(StepAction Action, string Reason)
{
    /// <summary>
    /// How long a claim keeps other copies of the message away. The claimer's own message (same queue message id)
    /// takes over at once after a crash; a copy with another id takes over only after this, in case the claimer's
    /// message was lost. Longer than any step runs (the actions' HTTP timeouts are seconds).
    /// </summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(10);

    /// <param name="run">The run as read now; null when there is none.</param>
    /// <param name="queue">The queue the message came from.</param>
    /// <param name="step">The step whose queue it is.</param>
    /// <param name="stepKnown">The app can run <paramref name="step"/>.</param>
    /// <param name="queueMessageId">The queue message carrying it, stable across its redeliveries.</param>
    /// <param name="gone">When <paramref name="run"/> is null: why its call's data was deleted on purpose (purged, erased), if it was.</param>
    public static StepDecision Decide(
        WorkflowRun? run, StepMessage message, string queue, string step, bool stepKnown, string queueMessageId, DateTimeOffset now, string? gone = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Step != step || !stepKnown)
        {
            return new(StepAction.Poison, $"unknown step '{message.Step}' on queue {queue}");
        }

        if (run is null && gone is not null)
        {
            // Nothing to do and nothing to keep: poisoning it would keep the call's data the deletion removed.
            return new(StepAction.Drop, $"its call was {gone}");
        }

        if (run is null)
        {
            return new(StepAction.Poison, $"unknown run '{message.RunId}'");
        }

        if (!run.Steps.TryGetValue(step, out var state))
        {
            return new(StepAction.Poison, $"run '{run.RunId}' never queued step '{step}'");
        }

        if (state.Token != message.Token)
        {
            return new(StepAction.Drop, "not the message the run queued for this step");
        }

        return state.Status switch
        {
            StepStatus.Completed => new(StepAction.Redrive, "the step is completed"),
            // Only a step that ran and skipped itself (a transformation cancelled) holds its message's token.
            StepStatus.Skipped => new(StepAction.Redrive, "the step skipped itself"),
            StepStatus.Running when state.ClaimedBy != queueMessageId && state.ClaimedAt + ClaimLease > now =>
                new(StepAction.Drop, "another copy of this message is running the step"),
            _ => new(StepAction.Run, state.Status == StepStatus.Running ? "taking over the claim" : "claiming the step"),
        };
    }

    /// <summary>
    /// The driver of a completed (or self-skipped) step is back: the send of the next step may have been lost in a
    /// crash, so it is sent again (same token) while the run shows that step still only queued. Null when nothing
    /// is to be re-sent: the run ended there, or the next step is already under way.
    /// </summary>
    public static string? RedriveTarget(WorkflowDefinition workflow, WorkflowRun run, string step)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(run);
        var next = run.IsSingleStep ? null : workflow.After(step, run.Data).Next;
        return next is not null && run.Steps.GetValueOrDefault(next)?.Status == StepStatus.Queued ? next : null;
    }
}

/// <summary>What a step message does, decided from the run alone (see <see cref="StepDecision.Decide"/>).</summary>
public enum StepAction
{
    /// <summary>The message can never be used: to the poison queue with its reason, no retry.</summary>
    Poison,

    /// <summary>A duplicate: dropped without effect.</summary>
    Drop,

    /// <summary>The step is done: only re-send its next step, whose send a crash may have lost.</summary>
    Redrive,

    /// <summary>Claim the step and run its side effect.</summary>
    Run,
}

/// <summary>
/// Where a step message is in deciding before it runs: deciding from the run its message carries (the version that
/// queued it, see <see cref="RunSnapshot"/>), or from the run as read, and how many claims it has lost to another
/// writer. Pure: <see cref="StepRunner"/> reads the run again when this says so.
/// </summary>
public readonly record struct ClaimRound(bool FromCarried, int LostClaims = 0)
{
    /// <summary>Claims lost to another writer in a row, on runs as read, before the try fails and the host retries it.</summary>
    public const int MaxLostClaims = 3;

    /// <summary>
    /// The carried run is trusted only to claim (a changed run fails the claim): any other decision made from it is
    /// made again from the run as read, without counting a round.
    /// </summary>
    public bool MustReadAgain(StepDecision decision) => FromCarried && decision.Action != StepAction.Run;

    /// <summary>
    /// After a claim lost to another writer (most likely a second copy of this message) or to a carried run that is
    /// no longer the stored version: the round that decides again from the run as read, or null when this try gives
    /// up. A claim lost on the carried run does not count.
    /// </summary>
    public ClaimRound? AfterLostClaim() => FromCarried
        ? new ClaimRound(FromCarried: false)
        : LostClaims + 1 < MaxLostClaims ? new ClaimRound(FromCarried: false, LostClaims + 1) : null;
}
