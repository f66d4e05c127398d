namespace SimpleAi.Webhooks.Workflow;

/// <summary>Which change of a step's state a <see cref="StepTransition"/> is; the runner's I/O follows from it.</summary>
public enum StepTransitionKind
{
    /// <summary>A copy of the step's message takes the step (a conditional write); then it runs the side effect.</summary>
    Claimed,

    /// <summary>The step did its work or skipped itself: save, then send the next step if there is one.</summary>
    Completed,

    /// <summary>Not yet: save, then send the same step again, delayed.</summary>
    Deferred,

    /// <summary>The try failed: record it (best effort), then rethrow so the host retries or poisons the message.</summary>
    FailedTry,

    /// <summary>No retry can fix it: record it (best effort), fail the run and move the message to the poison queue.</summary>
    FailedForGood,
}
