namespace SimpleAi.Webhooks.Workflow;

public enum StepStatus
{
    /// <summary>The previous hop recorded the step and its message's token, then sent the message.</summary>
    Queued,
    Completed,

    /// <summary>The last try failed; the host retries it until its retry limit.</summary>
    Failed,
    Skipped,
}
