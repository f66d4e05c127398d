namespace SimpleAi.Webhooks.PreCall;

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
