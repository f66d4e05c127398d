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

/// <summary>
/// What the rules of one computed parameter came to: <see cref="Fired"/> (by the rule at <see cref="Rule"/>),
/// <see cref="NotFired"/> (every rule's conditions evaluated, none held), or <see cref="NotEvaluated"/> (a field a
/// rule reads was missing: the parameter is left out, <see cref="Reason"/> names the field, never a value).
/// </summary>
public sealed record RuleOutcome(string Parameter, string Outcome, int? Rule = null, string? Reason = null)
{
    public const string Fired = "fired";

    public const string NotFired = "not_fired";

    public const string NotEvaluated = "not_evaluated";
}

/// <summary>
/// How one source of the journey did: the <c>contacts</c> table (<see cref="ContactSource"/>) or an HTTP source, its
/// <see cref="Outcome"/> (a metric dimension: low cardinality, never data), how long it took, and a
/// <see cref="Detail"/> free of personal data (a status code, an error's kind).
/// </summary>
public sealed record SourceOutcome(string Source, string Outcome, double Milliseconds, string? Detail = null)
{
    public const string ContactSource = "contact";

    public const string Answered = "answered";

    public const string NotFound = "not_found";

    public const string Timeout = "timeout";

    public const string OverBudget = "over_budget";

    public const string HttpError = "http_error";

    public const string Unreachable = "unreachable";

    public const string InvalidJson = "invalid_json";

    public const string NotAnObject = "not_an_object";

    public const string TooLarge = "too_large";

    public const string Unavailable = "unavailable";

    public const string Failed = "failed";

    /// <summary>True when the source was left out for a fault (a miss in the contacts table is no fault).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool LeftOut => Outcome is not (Answered or NotFound);
}
