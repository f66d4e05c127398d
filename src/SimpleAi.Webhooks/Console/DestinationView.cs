using SimpleAi.Webhooks.Destinations;

namespace SimpleAi.Webhooks.Console;

/// <summary>A destination as the Destinations view shows it: its state and its configured rate limit (requests a second).</summary>
public sealed record DestinationView(
    string Name,
    string State,
    string? PausedBy,
    DateTimeOffset? PausedAt,
    string? PauseReason,
    int FailureStreak,
    string? LastError,
    DateTimeOffset? LastFailureAt,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? NextProbeAt,
    double? MaxPerSecond,
    string? Host)
{
    public static DestinationView Of(DestinationState state, double? maxPerSecond, string? host)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new DestinationView(
            state.Name,
            state.IsPaused ? "paused" : "active",
            state.PausedBy switch
            {
                DestinationPausedBy.Failures => "failures",
                DestinationPausedBy.Operator => "operator",
                _ => null,
            },
            state.PausedAt,
            state.PauseReason,
            state.FailureStreak,
            state.LastError,
            state.LastFailureAt,
            state.LastSuccessAt,
            state.NextProbeAt,
            maxPerSecond,
            host);
    }
}
