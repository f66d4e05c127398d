namespace SimpleAi.Webhooks.Workflow;

/// <summary>A named step of the workflow, the class that does it, and when it runs (a condition on the run's data).</summary>
public sealed record WorkflowStepDefinition(
    string Name,
    Type StepType,
    Func<IReadOnlyDictionary<string, string>, bool> Condition);
