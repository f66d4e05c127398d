namespace SimpleAi.Webhooks.Destinations;

/// <summary>
/// One destination's row in table <c>destinations</c>: whether deliveries to it go out, why not, and its pending probe.
/// </summary>
/// <param name="Name">The action step name (<c>crm-sync</c>, <c>ticket</c>, …): PartitionKey and RowKey.</param>
/// <param name="PausedBy">Set while paused.</param>
/// <param name="PauseReason">The operator's reason, or the failure that paused it.</param>
/// <param name="FailureStreak">Retryable failures since the last 2xx.</param>
/// <param name="LastError">The last failure's reason (a status or transport error; never a URL); kept after a recovery as the past error (see <see cref="HasRecovered"/>).</param>
/// <param name="LastSuccessAt">The last 2xx, to <see cref="DestinationRules.SuccessRecordInterval"/> (a healthy destination's successes are written once per interval; one that ends a streak or a pause at once).</param>
/// <param name="NextProbeAt">While paused by failures: when one delivery may probe.</param>
/// <param name="ProbeDelay">The back-off the next failed probe doubles.</param>
/// <param name="ProbeClaimedBy">The delivery probing now (its idempotency key), until its lease (<see cref="DestinationRules.ProbeLeaseFor"/>) after <paramref name="ProbeClaimedAt"/>.</param>
public sealed record DestinationState(
    string Name,
    DestinationStatus Status,
    DestinationPausedBy? PausedBy,
    DateTimeOffset? PausedAt,
    string? PauseReason,
    int FailureStreak,
    string? LastError,
    DateTimeOffset? LastFailureAt,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? NextProbeAt,
    TimeSpan ProbeDelay,
    string? ProbeClaimedBy,
    DateTimeOffset? ProbeClaimedAt)
{
    /// <summary>A destination never seen failing.</summary>
    public static DestinationState New(string name) =>
        new(name, DestinationStatus.Active, null, null, null, 0, null, null, null, null, TimeSpan.Zero, null, null);

    public bool IsPaused => Status == DestinationStatus.Paused;

    /// <summary>Its <see cref="LastError"/> is past: a success ended the streak (or the pause) it belonged to.</summary>
    public bool HasRecovered => !IsPaused && FailureStreak == 0 && LastError is not null;

    /// <summary>The row's ETag as read (default when there is no row yet): writes are conditional on it.</summary>
    internal ETag ETag { get; init; }
}

/// <summary>Who paused a destination: its failures (probes resume it) or an operator (only an operator resumes it).</summary>
public enum DestinationPausedBy
{
    Failures,
    Operator,
}

public enum DestinationStatus
{
    Active,
    Paused,
}
