namespace SimpleAi.Webhooks.Console;

/// <summary>A page of the Calls view: its rows, the cursor of the next page (null at the end) and how many calls were read.</summary>
public sealed record CallsPage(IReadOnlyList<CallRow> Calls, string? Next, int Scanned, DateTimeOffset From, DateTimeOffset To, string? Search);
