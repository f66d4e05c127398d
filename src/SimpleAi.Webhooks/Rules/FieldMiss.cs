namespace SimpleAi.Webhooks.Rules;

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
