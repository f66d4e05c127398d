using System.Text.RegularExpressions;
using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// The post-call workflow: an ordered list of named steps, each with a condition on the run's data. A run goes
/// through them in order; a step whose condition does not hold is skipped (with the field's reason when a field it
/// reads is absent or not a number), and the run goes on. Each step has its own queue,
/// <c>step-&lt;name&gt;</c>.
/// </summary>
public sealed partial class WorkflowDefinition
{
    /// <summary>"step-" + name + "-poison" must stay within the 63 characters of a queue name.</summary>
    public const int MaxStepNameLength = 51;

    private readonly Dictionary<string, int> _index;
    private readonly Dictionary<string, Type> _registered;

    /// <param name="registered">Every step the app can run, also outside the workflow (keyword triggers start them).</param>
    public WorkflowDefinition(IEnumerable<WorkflowStepDefinition> steps, IReadOnlyDictionary<string, Type>? registered = null)
    {
        _registered = new Dictionary<string, Type>(registered ?? new Dictionary<string, Type>(), StringComparer.Ordinal);
        ArgumentNullException.ThrowIfNull(steps);
        Steps = steps.ToList();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Steps.Count; i++)
        {
            var name = Steps[i].Name;
            if (name.Length > MaxStepNameLength || !StepName().IsMatch(name))
            {
                throw new ArgumentException(
                    $"Step name '{name}' must be lowercase letters, digits and single dashes, at most {MaxStepNameLength} characters (it names the queue step-{name}).");
            }

            if (!typeof(IWorkflowStep).IsAssignableFrom(Steps[i].StepType))
            {
                throw new ArgumentException($"Step '{name}': {Steps[i].StepType} does not implement {nameof(IWorkflowStep)}.");
            }

            if (!_index.TryAdd(name, i))
            {
                throw new ArgumentException($"Step '{name}' appears twice in the workflow.");
            }
        }
    }

    public IReadOnlyList<WorkflowStepDefinition> Steps { get; }

    /// <summary>Every step the app can run: the workflow's, then the others registered (keyword triggers start them).</summary>
    public IEnumerable<string> RegisteredSteps => Steps.Select(s => s.Name).Concat(_registered.Keys.Where(name => !_index.ContainsKey(name)));

    public bool Contains(string step) => _index.ContainsKey(step);

    /// <summary>The class of a step of the workflow, or of any registered step.</summary>
    public bool TryGetStepType(string step, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type)
    {
        type = _index.TryGetValue(step, out var i) ? Steps[i].StepType : _registered.GetValueOrDefault(step);
        return type is not null;
    }

    public WorkflowStepDefinition this[string step] => Steps[_index[step]];

    /// <summary>The first step to run for this data, and the steps skipped before it.</summary>
    public StepRoute First(IReadOnlyDictionary<string, string> data) => From(0, data);

    /// <summary>The step to run after <paramref name="step"/> for this data, and the steps skipped on the way.</summary>
    public StepRoute After(string step, IReadOnlyDictionary<string, string> data) => From(_index[step] + 1, data);

    private StepRoute From(int start, IReadOnlyDictionary<string, string> data)
    {
        List<SkippedStep>? skipped = null;
        for (var i = start; i < Steps.Count; i++)
        {
            var verdict = Steps[i].Condition(data);
            if (verdict.Holds)
            {
                return new(Steps[i].Name, skipped ?? (IReadOnlyList<SkippedStep>)[]);
            }

            (skipped ??= []).Add(new SkippedStep(Steps[i].Name, verdict.Miss));
        }

        return skipped is null ? StepRoute.End : new(null, skipped);
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex StepName();
}

/// <summary>Where a run goes from a point of the workflow: the next step to run (null at the end), and the steps skipped on the way.</summary>
public sealed record StepRoute(string? Next, IReadOnlyList<SkippedStep> Skipped)
{
    public static readonly StepRoute End = new(null, []);
}

/// <summary>A step the run passes over because its condition does not hold; <see cref="Miss"/> when a field it reads could not be used.</summary>
public sealed record SkippedStep(string Step, FieldMiss? Miss = null)
{
    /// <summary>The step's state: skipped at <paramref name="now"/>, with the field's reason if there is one.</summary>
    public StepState State(DateTimeOffset now) => new(StepStatus.Skipped, FinishedAt: now, Error: Miss?.Reason);
}

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
