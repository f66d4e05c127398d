namespace SimpleAi.Webhooks.Console;

/// <summary>
/// What the Calls view asks for: a window, a filter (<c>live</c>, <c>running</c>, <c>failed</c>, <c>completed</c>), a
/// search (a call id, an event id or a caller's number, E.164 or as typed) and the cursor of the page to read.
/// </summary>
public sealed record CallsQuery(DateTimeOffset From, DateTimeOffset To, string? Filter = null, string? Search = null, string? After = null)
{
    public static readonly IReadOnlyList<string> Filters = ["live", "running", "failed", "completed"];
}
