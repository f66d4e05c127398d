using SimpleAi.Webhooks.PreCall;

namespace SimpleAi.Webhooks.Console;

/// <summary>
/// What the agent was told before the call, as the console shows it (see <see cref="PreCallRecordStore.FindForCallAsync"/>):
/// when, to whom (masked), the parameters' names (their values are the caller's data), each source's outcome and time,
/// each rule's outcome and the transformation's.
/// </summary>
public sealed record PreCallSummary(
    DateTimeOffset AnsweredAt,
    string? CallerMasked,
    IReadOnlyList<string> Parameters,
    double Milliseconds,
    IReadOnlyList<SourceOutcome> Sources,
    IReadOnlyList<RuleOutcome> Rules,
    string Transform)
{
    public static PreCallSummary Of(PreCallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new PreCallSummary(
            record.AnsweredAt,
            PhoneMask.Mask(record.Caller),
            [.. record.Parameters.Keys],
            record.Report.Milliseconds,
            record.Report.Sources,
            record.Report.Rules,
            record.Report.Transform);
    }
}
