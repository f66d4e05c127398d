using System.Text.RegularExpressions;
using SimpleAi.Webhooks.Telemetry;

namespace SimpleAi.Webhooks.Destinations;

/// <summary>What the gate reports: the metric and log of a pause or a resume, with failure reasons masked.</summary>
public sealed partial class DestinationGate
{
    private void Paused(DestinationState state, string by)
    {
        WebhookTelemetry.DestinationStateChanged(state.Name, "paused", by);
        if (by == "operator")
        {
            LogPausedByOperator(state.Name, state.PauseReason);
        }
        else
        {
            LogPaused(state.Name, state.FailureStreak, state.LastError, state.NextProbeAt);
        }
    }

    private void Resumed(string destination, string by)
    {
        WebhookTelemetry.DestinationStateChanged(destination, "resumed", by);
        LogResumed(destination, by);
    }

    /// <summary>Outbound URLs are secrets: one in a failure reason is masked, and the reason is kept short.</summary>
    private static string Masked(string reason)
    {
        var masked = UrlPattern().Replace(reason ?? string.Empty, "(url)");
        return masked.Length <= DestinationRules.MaxReasonLength ? masked : masked[..DestinationRules.MaxReasonLength];
    }

    [GeneratedRegex(@"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s)\]""'<>]+")]
    private static partial Regex UrlPattern();

    [LoggerMessage(1, LogLevel.Warning, "Destination {Destination} paused after {FailureStreak} failures in a row (last: {LastError}): its deliveries wait; the first probe is at {NextProbeAt:O}")]
    private partial void LogPaused(string destination, int failureStreak, string? lastError, DateTimeOffset? nextProbeAt);

    [LoggerMessage(2, LogLevel.Warning, "Destination {Destination} paused by an operator ({Reason}): its deliveries wait until it is resumed")]
    private partial void LogPausedByOperator(string destination, string? reason);

    [LoggerMessage(3, LogLevel.Information, "Destination {Destination} resumed by {ResumedBy}: its waiting deliveries go out as they ask again")]
    private partial void LogResumed(string destination, string resumedBy);
}
