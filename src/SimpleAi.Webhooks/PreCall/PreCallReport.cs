namespace SimpleAi.Webhooks.PreCall;

/// <summary>
/// How a pre-call answer came about: each source's outcome and time, each computed parameter's rules, the
/// transformation's outcome (<c>none</c>, <c>applied</c>, or <c>failed: …</c>) and the whole journey's time.
/// </summary>
public sealed record PreCallReport(
    IReadOnlyList<SourceOutcome> Sources,
    IReadOnlyList<RuleOutcome> Rules,
    string Transform,
    double Milliseconds)
{
    public const string NoTransform = "none";

    public const string Transformed = "applied";

    public static readonly PreCallReport Empty = new([], [], NoTransform, 0);
}
