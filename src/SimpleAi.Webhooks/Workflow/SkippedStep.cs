using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>A step the run passes over because its condition does not hold; <see cref="Miss"/> when a field it reads could not be used.</summary>
public sealed record SkippedStep(string Step, FieldMiss? Miss = null)
{
    /// <summary>The step's state: skipped at <paramref name="now"/>, with the field's reason if there is one.</summary>
    public StepState State(DateTimeOffset now) => new(StepStatus.Skipped, FinishedAt: now, Error: Miss?.Reason);
}
