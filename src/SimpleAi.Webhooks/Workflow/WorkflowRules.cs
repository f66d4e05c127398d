using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>Turns the configured steps into the workflow definition.</summary>
public static class WorkflowRules
{
    /// <summary>The configured steps, or just <c>fetch-call</c> when none are.</summary>
    public static IReadOnlyList<StepRule> Of(WorkflowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Steps.Count > 0 ? options.Steps : [new StepRule { Step = FetchCallStep.Name }];
    }

    public static WorkflowDefinition Build(WorkflowOptions options, IEnumerable<WorkflowStepRegistration> registrations)
    {
        var types = registrations.ToDictionary(r => r.Name, r => r.StepType, StringComparer.Ordinal);
        return new WorkflowDefinition(
            Of(options).Select(rule => new WorkflowStepDefinition(rule.Step, types[rule.Step], RuleCompiler.Compile(rule))),
            types);
    }
}
