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

/// <summary>A step the workflow configuration may name: its name (and queue <c>step-&lt;name&gt;</c>) and its class.</summary>
public sealed record WorkflowStepRegistration(string Name, Type StepType);

/// <summary>The steps the workflow runs when its configuration names none (a feature contributes it; the last one registered wins).</summary>
public sealed record DefaultWorkflow(IReadOnlyList<StepRule> Steps);

/// <summary>
/// A feature's own start-up check of a step the app will run (named by the workflow, or started by a feature such as a
/// keyword trigger): what is wrong with its settings, never showing a secret. Registered with
/// <see cref="WorkflowServiceCollectionExtensions.AddWorkflowCheck{TCheck}"/>; a step no check speaks for passes.
/// </summary>
public interface IWorkflowCheck
{
    IEnumerable<string> Problems(WorkflowStepRegistration step);
}

/// <summary>
/// Whether a run that is missing was deleted on purpose (its call purged by retention or erased on request), asked only
/// when a step message finds no run. A feature that deletes runs implements it; without one, no run is ever gone.
/// </summary>
public interface IGoneRuns
{
    /// <param name="createdAt">When the run was created, if the message carries it.</param>
    /// <returns>Why the call's data is gone ("erased on …"); null when it was not deleted on purpose.</returns>
    Task<string?> WhyGoneAsync(string callId, DateTimeOffset? createdAt, CancellationToken cancellationToken);
}

/// <summary>No run is ever deleted on purpose (the engine alone): a missing run is an unknown one.</summary>
public sealed class NoGoneRuns : IGoneRuns
{
    public Task<string?> WhyGoneAsync(string callId, DateTimeOffset? createdAt, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
