using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// The condition of <see cref="Step"/> could not be evaluated on the run's data (a field it needs is absent or not a
/// number). A rule is never taken as true by default: the run stops at that step, with the reason.
/// </summary>
public sealed class StepConditionException : Exception
{
    public StepConditionException()
    {
    }

    public StepConditionException(string message)
        : base(message)
    {
    }

    public StepConditionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StepConditionException(string step, IReadOnlyList<string> skipped, RuleEvaluationException error)
        : base($"the condition of step '{step}' could not be evaluated: {error?.Message}", error)
    {
        Step = step;
        Skipped = skipped;
    }

    /// <summary>The step whose condition failed.</summary>
    public string Step { get; } = string.Empty;

    /// <summary>The steps before it whose conditions were false.</summary>
    public IReadOnlyList<string> Skipped { get; } = [];
}
