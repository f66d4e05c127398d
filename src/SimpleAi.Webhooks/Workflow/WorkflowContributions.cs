using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// What the app's features gave the engine: the steps they can run, the fields their rules may read, their own checks
/// of a step's settings, and the workflow to run when the configuration names no step. The engine knows no feature;
/// it asks this.
/// </summary>
public sealed class WorkflowContributions(
    IEnumerable<WorkflowStepRegistration> steps,
    IEnumerable<RuleFields> fields,
    IEnumerable<IWorkflowCheck> checks,
    IEnumerable<DefaultWorkflow> defaults)
{
    private readonly List<IWorkflowCheck> _checks = checks.ToList();
    private readonly DefaultWorkflow? _default = defaults.LastOrDefault();

    /// <summary>Every registered step by name.</summary>
    public IReadOnlyDictionary<string, WorkflowStepRegistration> Steps { get; } =
        steps.ToDictionary(r => r.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<RuleFields> Fields { get; } = fields.ToList();

    /// <summary>The configured steps, or the default workflow when none are (no step when no feature gives one).</summary>
    public IReadOnlyList<StepRule> RulesOf(WorkflowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Steps.Count > 0 ? options.Steps : _default?.Steps ?? [];
    }

    /// <summary>What every feature's check finds wrong with the settings of <paramref name="step"/>.</summary>
    public IEnumerable<string> Problems(WorkflowStepRegistration step) => _checks.SelectMany(check => check.Problems(step));

    public string KnownSteps() => string.Join(", ", Steps.Keys.Order(StringComparer.Ordinal));
}
