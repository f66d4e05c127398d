namespace SimpleAi.Webhooks.Workflow;

/// <summary>A step's outcome: values to merge into the run's data, which later conditions can read.</summary>
public sealed record StepResult(IReadOnlyDictionary<string, string>? Data = null)
{
    public static StepResult Done { get; } = new();
}
