namespace SimpleAi.Webhooks.Workflow;

public enum StepStatus
{
    /// <summary>The previous hop recorded the step and its message's token, then sent the message.</summary>
    Queued,

    /// <summary>A copy of the step's message claimed it (<see cref="StepState.ClaimedBy"/>) and is running its side effect.</summary>
    Running,

    Completed,

    /// <summary>The step failed for good: on the host's last try, or with a failure no retry can fix; the run failed at it.</summary>
    Failed,
    Skipped,

    /// <summary>
    /// A try threw and the host tries the message again after its visibility timeout (<see cref="StepTry.NextAt"/>);
    /// on the host's last try a failure is <see cref="Failed"/> instead.
    /// </summary>
    Retrying,
}
