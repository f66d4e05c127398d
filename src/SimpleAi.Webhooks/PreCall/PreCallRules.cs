using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.PreCall;

/// <summary>
/// The configured computed parameters, compiled once: per parameter, its rules in order. The first rule that holds
/// sets the parameter (over any value a source or the contact gave it); when none holds because a field was missing,
/// the parameter is left out and the outcome says which field.
/// </summary>
public sealed class PreCallRules
{
    private readonly IReadOnlyList<(string Parameter, IReadOnlyList<Alternative> Rules)> _parameters;

    private PreCallRules(IReadOnlyList<(string, IReadOnlyList<Alternative>)> parameters) => _parameters = parameters;

    public static PreCallRules Compile(IReadOnlyList<PreCallRule> rules, IReadOnlyCollection<RuleFields> fields)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var compiled = rules
            .Select((rule, index) => (rule.Parameter, Alternative: new Alternative(index, rule.Value ?? string.Empty, RuleCompiler.Compile(rule.When, fields))))
            .GroupBy(r => r.Parameter, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<Alternative>)[.. g.Select(r => r.Alternative)]))
            .ToList();
        return new PreCallRules(compiled);
    }

    public bool IsEmpty => _parameters.Count == 0;

    /// <summary>Sets each computed parameter whose rule holds on <paramref name="data"/> in <paramref name="parameters"/>.</summary>
    public IReadOnlyList<RuleOutcome> Apply(IReadOnlyDictionary<string, string> data, IDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var outcomes = new List<RuleOutcome>(_parameters.Count);
        foreach (var (parameter, alternatives) in _parameters)
        {
            outcomes.Add(Decide(parameter, alternatives, data, parameters));
        }

        return outcomes;
    }

    private static RuleOutcome Decide(string parameter, IReadOnlyList<Alternative> alternatives, IReadOnlyDictionary<string, string> data, IDictionary<string, string> parameters)
    {
        FieldMiss? miss = null;
        foreach (var alternative in alternatives)
        {
            var verdict = alternative.Verdict(data);
            if (verdict.Holds)
            {
                parameters[parameter] = alternative.Value;
                return new RuleOutcome(parameter, RuleOutcome.Fired, alternative.Index);
            }

            miss ??= verdict.Miss;
        }

        // A rule that could not be evaluated might have held: the parameter is not answered, not even from a source.
        if (miss is not null)
        {
            parameters.Remove(parameter);
            return new RuleOutcome(parameter, RuleOutcome.NotEvaluated, Reason: miss.Reason);
        }

        return new RuleOutcome(parameter, RuleOutcome.NotFired);
    }

    private sealed record Alternative(int Index, string Value, Func<IReadOnlyDictionary<string, string>, RuleVerdict> Verdict);
}
