namespace SimpleAi.Webhooks.Workflow;

/// <summary>A run fails at <see cref="Step"/>: the failed-runs metric counts it with <see cref="Cause"/> (unless it had failed already).</summary>
public sealed record RunFailure(string Step, string Cause)
{
    /// <summary>The step failed on its last try, or for good.</summary>
    public const string StepFailed = "step_failed";
}
