namespace SimpleAi.Webhooks.Calls;

/// <summary>
/// A call as the index knows it (see <see cref="CallIndex"/>): <see cref="SeenAt"/> from its <c>call.started</c>, the
/// rest from the last read of the call from the API. <see cref="Partitions"/> are the hours its rows are in.
/// </summary>
public sealed record CallIndexEntry(
    string CallId,
    DateTimeOffset? SeenAt,
    DateTimeOffset? ApiStartedAt,
    DateTimeOffset? EndedAt,
    string? Status,
    string? Direction,
    string? From,
    string? To,
    IReadOnlyList<string> Partitions)
{
    /// <summary>When the call started: the API's <c>started_at</c>, else when its <c>call.started</c> arrived.</summary>
    public DateTimeOffset StartedAt => ApiStartedAt ?? SeenAt ?? CallIndex.HourOf(Partitions[0]) ?? DateTimeOffset.MinValue;

    /// <summary>True until the API says the call ended.</summary>
    public bool Live => EndedAt is null;

    public static CallIndexEntry Of(TableEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new CallIndexEntry(
            row.GetString("CallId") ?? row.RowKey[2..],
            row.GetDateTimeOffset("SeenAt"),
            row.GetDateTimeOffset("StartedAt"),
            row.GetDateTimeOffset("EndedAt"),
            row.GetString("Status"),
            row.GetString("Direction"),
            row.GetString("From"),
            row.GetString("To"),
            [row.PartitionKey]);
    }
}
