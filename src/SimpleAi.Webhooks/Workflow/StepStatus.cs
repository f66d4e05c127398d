namespace SimpleAi.Webhooks.Workflow;

public enum StepStatus
{
    /// <summary>The previous hop recorded the step and its message's token, then sent the message.</summary>
    Queued,

    /// <summary>A copy of the step's message claimed it (<see cref="StepState.ClaimedBy"/>) and is running its side effect.</summary>
    Running,

    Completed,

    /// <summary>The last try failed; the host retries it until its retry limit, or the run failed at this step.</summary>
    Failed,
    Skipped,
}
