using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>Settings of the step runner (section <c>Workflow</c>).</summary>
public sealed class WorkflowOptions
{
    public const string Section = "Workflow";

    /// <summary>
    /// The app setting that says when the <c>PoisonSweep</c> function looks for messages the host poisoned by itself:
    /// an NCRONTAB expression with seconds, <c>*/30 * * * * *</c> in the sample settings and the Bicep (so a run whose
    /// message the host poisons is failed within a minute). The timer trigger reads it as a <c>%…%</c> expression, so
    /// it must be set.
    /// </summary>
    public const string PoisonSweepScheduleSetting = "Workflow:PoisonSweepSchedule";

    /// <summary>
    /// The post-call workflow in order, each step with the conditions under which it runs; from app settings or
    /// the app's <c>workflow.json</c>. Empty: the default workflow a feature gives (<see cref="DefaultWorkflow"/>;
    /// the post-call journey's is to fetch the call and do nothing more).
    /// </summary>
    public List<StepRule> Steps { get; set; } = [];
}

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
