using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Webhooks.Transcripts;

/// <summary>
/// Turns a burst of transcript updates into few fetches: an update schedules a fetch unless one is already due and
/// not yet begun (that one will read the newest lines). A fetch is due at once, or one window after the last fetch
/// began; so at most one fetch per window per call, and an update that comes while a fetch runs schedules the next
/// one, so the last update of a burst always leads to a fetch. The schedule is saved, then its message sent: the
/// update that scheduled it, delivered again after a crash between the two (or replayed), sends the message again.
/// </summary>
public sealed partial class TranscriptCoalescer(
    TranscriptStore store,
    IQueueSender queue,
    IOptions<TranscriptOptions> options,
    TimeProvider time,
    ILogger<TranscriptCoalescer> logger)
{
    /// <summary>A schedule whose fetch never began this long after it was due was lost: the next update schedules again.</summary>
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(1);

    /// <param name="eventId">The update asking: the one that scheduled a fetch re-sends its message when delivered again.</param>
    public async Task RequestFetchAsync(string callId, string eventId, string? traceParent, CancellationToken cancellationToken)
    {
        var window = TimeSpan.FromMilliseconds(options.Value.CoalesceMilliseconds);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var found = await store.FindStateAsync(callId, cancellationToken);
            var state = found?.State ?? new TranscriptState(null, null, 0);
            var now = time.GetUtcNow();
            if (state is { ScheduledFor: { } pending, Token: { } token } && state.ScheduledBy == eventId)
            {
                LogResent(callId, pending);
                await SendAsync(callId, token, pending, now, traceParent, cancellationToken);
                return;
            }

            if (state.ScheduledFor is { } scheduled && scheduled + Stale > now)
            {
                LogCoalesced(callId, scheduled);
                return;
            }

            var due = state.LastFetchStartedAt is { } last && last + window > now ? last + window : now;
            var next = state with { ScheduledFor = due, Token = Guid.NewGuid().ToString("N"), ScheduledBy = eventId };
            if (await store.TrySaveStateAsync(callId, next, found?.ETag ?? default, cancellationToken))
            {
                LogScheduled(callId, due);
                await SendAsync(callId, next.Token, due, now, traceParent, cancellationToken);
                return;
            }
        }

        throw new InvalidOperationException($"The transcript state of call {callId} kept changing; the host retries.");
    }

    private Task SendAsync(string callId, string token, DateTimeOffset due, DateTimeOffset now, string? traceParent, CancellationToken cancellationToken) =>
        queue.SendAsync(
            new OutboundMessage(QueueNames.TranscriptFetch, new TranscriptFetchMessage(callId, token, traceParent).Encode(), $"{callId}:{token}", "transcript", new Dictionary<string, string>())
            {
                VisibleAfter = due > now ? due - now : null,
            },
            cancellationToken);

    [LoggerMessage(3, LogLevel.Information, "Transcript fetch of {CallId} due at {Due:O} sent again by the update that scheduled it")]
    private partial void LogResent(string callId, DateTimeOffset due);

    [LoggerMessage(2, LogLevel.Debug, "Transcript fetch of {CallId} scheduled for {Due:O}")]
    private partial void LogScheduled(string callId, DateTimeOffset due);

    [LoggerMessage(1, LogLevel.Debug, "Transcript update for {CallId} joins the fetch due at {Due:O}")]
    private partial void LogCoalesced(string callId, DateTimeOffset due);
}
