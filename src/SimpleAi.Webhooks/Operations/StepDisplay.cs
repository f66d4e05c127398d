using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// How a step's state reads to a person, the same in the CLI's <c>status</c> and the console: the truth of the moment
/// (<c>retrying, next try 12:03:10</c>, not <c>failed</c>).
/// </summary>
public static class StepDisplay
{
    /// <summary>
    /// The step's status as of now: a step whose last try failed or deferred and that is tried again (by the host, or on
    /// its own schedule) is <c>retrying</c>, not <c>failed</c> or <c>queued</c>.
    /// </summary>
    public static string Status(StepState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Status == StepStatus.Queued && state.Attempts > 0 && NextTry(state) is not null ? "retrying" : Lower(state.Status);
    }

    /// <summary>When a retrying (or queued) step is tried next, from its last try; null otherwise.</summary>
    public static DateTimeOffset? NextTry(StepState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Status is StepStatus.Retrying or StepStatus.Queued && state.Tries is [.., { NextAt: { } next }] ? next : null;
    }

    /// <summary>When the step first started: its first try, or its only one.</summary>
    public static DateTimeOffset? FirstStart(StepState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.FirstStartedAt ?? (state.Attempts == 1 ? state.StartedAt : null);
    }

    /// <summary>The run's steps in the order they first started (steps not started yet last).</summary>
    public static IEnumerable<KeyValuePair<string, StepState>> InOrder(WorkflowRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Steps.OrderBy(s => s.Value.FirstStartedAt ?? s.Value.StartedAt ?? s.Value.FinishedAt ?? DateTimeOffset.MaxValue);
    }

    /// <summary>
    /// The run's status as a person reads it: <c>running</c>, <c>completed</c>, <c>failed at step X</c>, or
    /// <c>retrying</c> (a step is waiting for its next try).
    /// </summary>
    public static string RunStatus(WorkflowRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Status switch
        {
            Workflow.RunStatus.Completed => "completed",
            Workflow.RunStatus.Failed => run.Steps.FirstOrDefault(s => s.Value.Status == StepStatus.Failed).Key is { } step ? $"failed at {step}" : "failed",
            _ when run.Steps.Values.Any(s => Status(s) == "retrying" || s.Status == StepStatus.Retrying) => "retrying",
            _ => "running",
        };
    }

    public static string Lower(Enum status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.ToString().ToLowerInvariant();
    }
}
