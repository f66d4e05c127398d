namespace SimpleAi.Webhooks.Workflow;

/// <summary>A step's outcome: values to merge into the run's data, which later conditions can read.</summary>
public sealed record StepResult(IReadOnlyDictionary<string, string>? Data = null)
{
    public static StepResult Done { get; } = new();

    /// <summary>Why the step did nothing (it is recorded skipped, the run goes on); null when it did its work.</summary>
    public string? SkippedBecause { get; init; }

    public static StepResult Skip(string reason) => new() { SkippedBecause = reason };
}
