namespace SimpleAi.Webhooks.Destinations;

/// <summary>A <see cref="DestinationState"/> as a table entity (PartitionKey = RowKey = the destination's name).</summary>
internal static class DestinationRow
{
    public static TableEntity ToEntity(DestinationState state) => new(state.Name, state.Name)
    {
        ["Status"] = state.Status == DestinationStatus.Paused ? "paused" : "active",
        ["PausedBy"] = state.PausedBy switch
        {
            DestinationPausedBy.Failures => "failures",
            DestinationPausedBy.Operator => "operator",
            _ => null,
        },
        ["PausedAt"] = state.PausedAt,
        ["PauseReason"] = state.PauseReason,
        ["FailureStreak"] = state.FailureStreak,
        ["LastError"] = state.LastError,
        ["LastFailureAt"] = state.LastFailureAt,
        ["LastSuccessAt"] = state.LastSuccessAt,
        ["NextProbeAt"] = state.NextProbeAt,
        ["ProbeDelaySeconds"] = state.ProbeDelay.TotalSeconds,
        ["ProbeClaimedBy"] = state.ProbeClaimedBy,
        ["ProbeClaimedAt"] = state.ProbeClaimedAt,
    };

    public static DestinationState FromEntity(TableEntity row) => new(
        row.RowKey,
        row.GetString("Status") == "paused" ? DestinationStatus.Paused : DestinationStatus.Active,
        row.GetString("PausedBy") switch
        {
            "failures" => DestinationPausedBy.Failures,
            "operator" => DestinationPausedBy.Operator,
            _ => null,
        },
        row.GetDateTimeOffset("PausedAt"),
        row.GetString("PauseReason"),
        row.GetInt32("FailureStreak") ?? 0,
        row.GetString("LastError"),
        row.GetDateTimeOffset("LastFailureAt"),
        row.GetDateTimeOffset("LastSuccessAt"),
        row.GetDateTimeOffset("NextProbeAt"),
        TimeSpan.FromSeconds(row.GetDouble("ProbeDelaySeconds") ?? 0),
        row.GetString("ProbeClaimedBy"),
        row.GetDateTimeOffset("ProbeClaimedAt"))
    {
        ETag = row.ETag,
    };
}
