using System.Text.RegularExpressions;

namespace SimpleAi.Webhooks.Rules;

/// <summary>Checks configured rules at start-up and turns them into conditions on a run's data.</summary>
public static class RuleCompiler
{
    public static readonly IReadOnlyList<string> Operators = ["eq", "ne", "in", "contains", "gt", "gte", "lt", "lte", "matches", "exists"];

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Every problem of one step's conditions, each naming the step and the condition; a field is known when one of
    /// <paramref name="fields"/> (what the app's features provide) provides it.
    /// </summary>
    public static IEnumerable<string> Validate(StepRule rule, IReadOnlyCollection<RuleFields> fields)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var condition in rule.When)
        {
            var where = $"Workflow step '{rule.Step}', condition '{condition}'";
            if (ProviderOf(condition.Field, fields) is null)
            {
                yield return $"{where}: unknown field '{condition.Field}' (known: {string.Join("; ", fields)}).";
            }

            if (!Operators.Contains(condition.Op))
            {
                yield return $"{where}: unknown operator '{condition.Op}' (known: {string.Join(", ", Operators)}).";
                continue;
            }

            var problem = condition.Op switch
            {
                "exists" => null,
                "in" => condition.Values is { Count: > 0 } ? null : "'in' needs Values",
                "gt" or "gte" or "lt" or "lte" => Number(condition.Value) is null ? $"'{condition.Op}' needs a numeric Value" : null,
                "matches" => RegexProblem(condition.Value),
                _ => condition.Value is null ? $"'{condition.Op}' needs a Value" : null,
            };
            if (problem is not null)
            {
                yield return $"{where}: {problem}.";
            }
        }
    }

    /// <summary>The fields that provide <paramref name="field"/>, or null when no feature does.</summary>
    public static RuleFields? ProviderOf(string field, IEnumerable<RuleFields> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return fields.FirstOrDefault(f => f.Provides(field));
    }

    /// <summary>All conditions must hold. A missing field (but for <c>exists</c>) throws <see cref="RuleEvaluationException"/>.</summary>
    public static Func<IReadOnlyDictionary<string, string>, bool> Compile(StepRule rule, IReadOnlyCollection<RuleFields> fields)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(fields);
        var conditions = rule.When.Select(c => Compile(rule.Step, c, ProviderOf(c.Field, fields)?.IsList(c.Field) == true)).ToList();
        return data => conditions.All(condition => condition(data));
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> Compile(string step, RuleCondition condition, bool isList)
    {
        var regex = condition.Op == "matches"
            ? new Regex(condition.Value!, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout)
            : null;
        return data =>
        {
            if (!data.TryGetValue(condition.Field, out var actual))
            {
                return condition.Op == "exists"
                    ? false
                    : throw new RuleEvaluationException(
                        $"the rule of step '{step}' ({condition}) needs field '{condition.Field}', which the run's data does not have");
            }

            return condition.Op switch
            {
                "exists" => true,
                "eq" => AreEqual(actual, condition.Value!),
                "ne" => !AreEqual(actual, condition.Value!),
                "in" => condition.Values!.Any(value => AreEqual(actual, value)),
                "contains" => isList
                    ? actual.Split(',').Any(tag => string.Equals(tag, condition.Value, StringComparison.OrdinalIgnoreCase))
                    : actual.Contains(condition.Value!, StringComparison.OrdinalIgnoreCase),
                "matches" => regex!.IsMatch(actual),
                _ => Compare(step, condition, actual),
            };
        };
    }

    private static bool Compare(string step, RuleCondition condition, string actual)
    {
        var left = Number(actual) ?? throw new RuleEvaluationException(
            $"the rule of step '{step}' ({condition}) compares numbers, but '{condition.Field}' is '{actual}'");
        var right = Number(condition.Value)!.Value;
        return condition.Op switch
        {
            "gt" => left > right,
            "gte" => left >= right,
            "lt" => left < right,
            _ => left <= right,
        };
    }

    private static bool AreEqual(string actual, string expected) =>
        Number(actual) is { } left && Number(expected) is { } right
            ? left == right
            : string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase);

    private static decimal? Number(string? text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Why <paramref name="pattern"/> is not a usable regular expression; null when it is.</summary>
    internal static string? RegexProblem(string? pattern)
    {
        if (pattern is null)
        {
            return "'matches' needs a Value (a regular expression)";
        }

        try
        {
            _ = new Regex(pattern, RegexOptions.None, MatchTimeout);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"the regular expression is invalid: {e.Message}";
        }
    }
}
