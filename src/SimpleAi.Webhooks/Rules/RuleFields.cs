namespace SimpleAi.Webhooks.Rules;

/// <summary>
/// Fields a feature puts into a run's data, which rules may read: exact <paramref name="Names"/>, or a
/// <paramref name="KeyedPrefixes"/> entry followed by a key. <paramref name="Step"/> is the step that provides them (a
/// rule on them must come after it); <paramref name="Subject"/> says what they describe ("the call");
/// <paramref name="Lists"/> hold comma-separated values, where <c>contains</c> matches a whole entry.
/// </summary>
public sealed record RuleFields(
    string Step,
    string Subject,
    IReadOnlyList<string> Names,
    IReadOnlyList<string> KeyedPrefixes,
    IReadOnlyList<string> Lists)
{
    public bool Provides(string field) =>
        Names.Contains(field) || KeyedPrefixes.Any(p => field.StartsWith(p, StringComparison.Ordinal) && field.Length > p.Length);

    public bool IsList(string field) => Lists.Contains(field);

    /// <summary>What a rule may name: <c>status, tags, or analysis:/params:&lt;key&gt;</c>.</summary>
    public override string ToString() =>
        KeyedPrefixes.Count == 0
            ? string.Join(", ", Names)
            : $"{string.Join(", ", Names)}, or {string.Join("/", KeyedPrefixes)}<key>";
}
