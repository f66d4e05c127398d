namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// What a run knows of one step. <see cref="Token"/> names the one message that drives the step: the hop before it
/// records the token in the run, then sends the message carrying it. A message with another token is a duplicate.
/// </summary>
public sealed record StepState(
    StepStatus Status,
    string? Token = null,
    int Attempts = 0,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    string? Error = null)
{
    public static StepState Queue() => new(StepStatus.Queued, Guid.NewGuid().ToString("N"));
}
