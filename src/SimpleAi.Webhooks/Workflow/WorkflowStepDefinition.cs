using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>A named step of the workflow, the class that does it, and when it runs (a condition on the run's data).</summary>
public sealed record WorkflowStepDefinition(
    string Name,
    Type StepType,
    Func<IReadOnlyDictionary<string, string>, RuleVerdict> Condition)
{
    /// <summary>A step with a plain condition: false skips it without a reason.</summary>
    public WorkflowStepDefinition(string name, Type stepType, Func<IReadOnlyDictionary<string, string>, bool> condition)
        : this(name, stepType, Verdicts(condition))
    {
    }

    private static Func<IReadOnlyDictionary<string, string>, RuleVerdict> Verdicts(Func<IReadOnlyDictionary<string, string>, bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return data => RuleVerdict.Of(condition(data));
    }
}
