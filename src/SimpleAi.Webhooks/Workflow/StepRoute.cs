namespace SimpleAi.Webhooks.Workflow;

/// <summary>Where a run goes from a point of the workflow: the next step to run (null at the end), and the steps skipped on the way.</summary>
public sealed record StepRoute(string? Next, IReadOnlyList<SkippedStep> Skipped)
{
    public static readonly StepRoute End = new(null, []);
}
