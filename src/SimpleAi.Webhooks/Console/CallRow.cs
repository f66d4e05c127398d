namespace SimpleAi.Webhooks.Console;

/// <summary>
/// One call of the Calls view: the index's row joined with its run. Numbers come masked and in full; the page shows
/// the masked ones until a person asks for a row's numbers. Deliveries are on the call's own view only (counting them
/// here would be one more partition query per row).
/// </summary>
public sealed record CallRow(
    string CallId,
    string? From,
    string? To,
    string? FromMasked,
    string? ToMasked,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    double? DurationSeconds,
    bool Live,
    string? Status,
    string? Direction,
    string? Run,
    string? FailedStep);
