namespace SimpleAi.Webhooks.Rules;

/// <summary>
/// <c>{"Field": "analysis:Caller sentiment", "Op": "eq", "Value": "negative"}</c>. Operators: <c>eq</c>, <c>ne</c>
/// (numbers compared as numbers, text case-insensitively, booleans as true/false), <c>in</c> (with <c>Values</c>),
/// <c>contains</c> (a tag among <c>tags</c>, else a substring), <c>gt</c>, <c>gte</c>, <c>lt</c>, <c>lte</c> (numbers),
/// <c>matches</c> (a regular expression, with a match timeout), <c>exists</c>.
/// </summary>
public sealed class RuleCondition
{
    public string Field { get; set; } = string.Empty;

    public string Op { get; set; } = "eq";

    public string? Value { get; set; }

    public List<string>? Values { get; set; }

    public override string ToString() =>
        $"{Field} {Op} {(Values is { Count: > 0 } ? "[" + string.Join(", ", Values) + "]" : Value)}";
}
