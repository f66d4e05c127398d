using System.Text.RegularExpressions;
using SimpleAi.Webhooks.Hosting;

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
        return Validate($"Workflow step '{rule.Step}'", rule.When, fields);
    }

    /// <summary>
    /// Every problem of <paramref name="when"/>, each beginning with <paramref name="owner"/> (what holds the
    /// conditions, as a person finds it: <c>Workflow step 'crm-sync'</c>, <c>PreCall__Rules__0 (priority)</c>).
    /// </summary>
    public static IEnumerable<string> Validate(string owner, IReadOnlyList<RuleCondition> when, IReadOnlyCollection<RuleFields> fields)
    {
        ArgumentNullException.ThrowIfNull(when);
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var condition in when)
        {
            var where = $"{owner}, condition '{condition}'";
            if (ProviderOf(condition.Field, fields) is null)
            {
                yield return $"{where}: unknown field '{condition.Field}'{NearestNames.Suggestion(NearestFields(condition.Field, fields))} (known: {string.Join("; ", fields)}).";
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

    /// <summary>
    /// The known fields nearest to an unknown <paramref name="field"/>: for <c>prefix:key</c>, the key under the nearest
    /// known prefix (<c>analysys:Caller sentiment</c> → <c>analysis:Caller sentiment</c>: the keys themselves, analyzer
    /// prompts and params, are only known when a call is fetched); otherwise the nearest fixed names, or a keyed prefix
    /// written without its colon and key (<c>analysis</c> → <c>analysis:&lt;key&gt;</c>).
    /// </summary>
    public static IReadOnlyList<string> NearestFields(string field, IReadOnlyCollection<RuleFields> fields)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(fields);
        var prefixes = fields.SelectMany(f => f.KeyedPrefixes).ToList();
        var colon = field.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && colon < field.Length - 1)
        {
            var key = field[(colon + 1)..];
            return [.. NearestNames.Of(field[..(colon + 1)], prefixes).Select(prefix => prefix + key)];
        }

        if (prefixes.Contains(field + ":"))
        {
            return [$"{field}:<key>"];
        }

        var candidates = fields.SelectMany(f => f.Names).Concat(prefixes.Select(p => p.TrimEnd(':')));
        return [.. NearestNames.Of(field, candidates).Select(name => prefixes.Contains(name + ":") ? $"{name}:<key>" : name)];
    }

    /// <summary>The fields that provide <paramref name="field"/>, or null when no feature does.</summary>
    public static RuleFields? ProviderOf(string field, IEnumerable<RuleFields> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return fields.FirstOrDefault(f => f.Provides(field));
    }

    /// <summary>
    /// All conditions must hold; they are evaluated in order and stop at the first that does not. A condition on a
    /// field the data lacks does not hold, whatever its operator (<c>ne</c> included): but for <c>exists</c>, whose
    /// answer that is, the verdict names the field (<see cref="FieldMiss.Absent"/>). A numeric comparison on a value
    /// that is not a number does not hold either, and names the field (<see cref="FieldMiss.NotANumber"/>).
    /// </summary>
    public static Func<IReadOnlyDictionary<string, string>, RuleVerdict> Compile(StepRule rule, IReadOnlyCollection<RuleFields> fields)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Compile(rule.When, fields);
    }

    /// <summary>As <see cref="Compile(StepRule, IReadOnlyCollection{RuleFields})"/>, for conditions held by something other than a step.</summary>
    public static Func<IReadOnlyDictionary<string, string>, RuleVerdict> Compile(IReadOnlyList<RuleCondition> when, IReadOnlyCollection<RuleFields> fields)
    {
        ArgumentNullException.ThrowIfNull(when);
        ArgumentNullException.ThrowIfNull(fields);
        var conditions = when.Select(c => Compile(c, ProviderOf(c.Field, fields))).ToList();
        return data =>
        {
            foreach (var condition in conditions)
            {
                if (condition(data) is { Holds: false } verdict)
                {
                    return verdict;
                }
            }

            return RuleVerdict.True;
        };
    }

    private static Func<IReadOnlyDictionary<string, string>, RuleVerdict> Compile(RuleCondition condition, RuleFields? provider)
    {
        var isList = provider?.IsList(condition.Field) == true;
        var absent = RuleVerdict.Missed(FieldMiss.AbsentFrom(condition.Field, provider?.Subject ?? "the run's data"));
        var notANumber = RuleVerdict.Missed(FieldMiss.NotNumeric(condition.Field, condition.Op));
        var regex = condition.Op == "matches"
            ? new Regex(condition.Value!, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout)
            : null;
        return data =>
        {
            if (!data.TryGetValue(condition.Field, out var actual))
            {
                return condition.Op == "exists" ? RuleVerdict.False : absent;
            }

            return condition.Op switch
            {
                "exists" => RuleVerdict.True,
                "eq" => RuleVerdict.Of(AreEqual(actual, condition.Value!)),
                "ne" => RuleVerdict.Of(!AreEqual(actual, condition.Value!)),
                "in" => RuleVerdict.Of(condition.Values!.Any(value => AreEqual(actual, value))),
                "contains" => RuleVerdict.Of(isList
                    ? actual.Split(',').Any(tag => string.Equals(tag, condition.Value, StringComparison.OrdinalIgnoreCase))
                    : actual.Contains(condition.Value!, StringComparison.OrdinalIgnoreCase)),
                "matches" => RuleVerdict.Of(regex!.IsMatch(actual)),
                _ => Number(actual) is { } number ? RuleVerdict.Of(Compare(condition, number)) : notANumber,
            };
        };
    }

    private static bool Compare(RuleCondition condition, decimal left)
    {
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
