using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>Turns the configured steps into the workflow definition.</summary>
public static class WorkflowRules
{
    public static WorkflowDefinition Build(WorkflowOptions options, WorkflowContributions contributions)
    {
        ArgumentNullException.ThrowIfNull(contributions);
        return new WorkflowDefinition(
            contributions.RulesOf(options).Select(rule => new WorkflowStepDefinition(
                rule.Step, contributions.Steps[rule.Step].StepType, RuleCompiler.Compile(rule, contributions.Fields))),
            contributions.Steps.ToDictionary(s => s.Key, s => s.Value.StepType, StringComparer.Ordinal));
    }
}
