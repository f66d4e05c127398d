using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// Refuses to start with a workflow that names an unknown step or field, reads a field before (or in) the step that
/// provides it (such a condition could never hold: every run would skip the step for the field), uses an unknown operator or a bad value, or runs a step whose feature's own check fails (an action step's
/// endpoint URL or signing secret missing or malformed, for example).
/// </summary>
public sealed class WorkflowOptionsValidator(WorkflowContributions contributions) : ProblemsValidator<WorkflowOptions>
{
    protected override IEnumerable<string> Problems(WorkflowOptions options)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in contributions.RulesOf(options))
        {
            if (!contributions.Steps.TryGetValue(rule.Step, out var registration))
            {
                yield return $"Workflow step '{rule.Step}' is unknown{NearestNames.Suggestion(NearestNames.Of(rule.Step, contributions.Steps.Keys))} (known: {contributions.KnownSteps()}).";
                continue;
            }

            // Read before this step counts as seen: its own fields are absent when its conditions are evaluated.
            var missing = ProvidersMissingBefore(rule, seen).ToList();
            if (!seen.Add(rule.Step))
            {
                yield return $"Workflow step '{rule.Step}' appears twice.";
            }

            var ruleProblems = RuleCompiler.Validate(rule, contributions.Fields)
                .Concat(missing.Select(fields => fields.Step == rule.Step
                    ? $"Workflow step '{rule.Step}' has conditions on {fields.Subject}, which it provides itself: they are evaluated before it runs, so only a later step can read them."
                    : $"Workflow step '{rule.Step}' has conditions on {fields.Subject}, so '{fields.Step}' must come before it."))
                .Concat(contributions.Problems(registration));
            foreach (var problem in ruleProblems)
            {
                yield return problem;
            }
        }
    }

    /// <summary>The fields the rule reads whose providing step has not come yet.</summary>
    private IEnumerable<RuleFields> ProvidersMissingBefore(StepRule rule, HashSet<string> seen) => rule.When
        .Select(condition => RuleCompiler.ProviderOf(condition.Field, contributions.Fields))
        .OfType<RuleFields>()
        .Distinct()
        .Where(fields => !seen.Contains(fields.Step));
}
