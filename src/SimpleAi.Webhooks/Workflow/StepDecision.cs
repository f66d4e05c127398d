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
