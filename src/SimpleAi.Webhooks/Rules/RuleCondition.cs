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

/// <summary>One step of the configured workflow and the conditions (all must hold) under which it runs.</summary>
public sealed class StepRule
{
    public string Step { get; set; } = string.Empty;

    public List<RuleCondition> When { get; set; } = [];
}

/// <summary>
/// What a step's conditions come to on a run's data: they hold (the step runs), or not (it is skipped). A skip
/// caused by a field the conditions could not use carries that <see cref="Miss"/>; a plain false carries none.
/// </summary>
public sealed record RuleVerdict(bool Holds, FieldMiss? Miss = null)
{
    public static readonly RuleVerdict True = new(true);

    public static readonly RuleVerdict False = new(false);

    public static RuleVerdict Of(bool holds) => holds ? True : False;

    public static RuleVerdict Missed(FieldMiss miss) => new(false, miss);
}

/// <summary>
/// A condition that cannot be used on a run's data: the field it reads is absent (the call did not have it, or had it
/// null), or is not a number where a numeric comparison needs one. The step is skipped with <see cref="Reason"/> and
/// the run goes on. It names the field as the rule names it, never the field's value: call data is personal data.
/// </summary>
/// <param name="Cause"><see cref="Absent"/> or <see cref="NotANumber"/>: the metric's dimension.</param>
public sealed record FieldMiss(string Field, string Cause, string Reason)
{
    public const string Absent = "absent";

    public const string NotANumber = "not_a_number";

    /// <param name="subject">What the field describes, as its provider says it ("the call").</param>
    public static FieldMiss AbsentFrom(string field, string subject) => new(field, Absent, $"field '{field}' absent from {subject}");

    public static FieldMiss NotNumeric(string field, string op) => new(field, NotANumber, $"field '{field}' is not a number, which '{op}' compares");
}
