using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Webhooks.Transcripts;

/// <summary>
/// Turns a burst of transcript updates into few fetches: an update schedules a fetch unless one is already due and
/// not yet begun (that one will read the newest lines). A fetch is due at once, or one window after the last fetch
/// began; so at most one fetch per window per call, and an update that comes while a fetch runs schedules the next
/// one, so the last update of a burst always leads to a fetch. Out-of-order and duplicate updates only schedule.
/// </summary>
public sealed partial class TranscriptCoalescer(
    TranscriptStore store,
    IQueueSender queue,
    IOptions<TranscriptOptions> options,
    TimeProvider time,
    ILogger<TranscriptCoalescer> logger)
{
    /// <summary>A schedule whose fetch never began this long after it was due was lost (a crash before its send).</summary>
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(1);

    public async Task RequestFetchAsync(string callId, string? traceParent, CancellationToken cancellationToken)
    {
        var window = TimeSpan.FromMilliseconds(options.Value.CoalesceMilliseconds);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var found = await store.FindStateAsync(callId, cancellationToken);
            var state = found?.State ?? new TranscriptState(null, null, 0);
            var now = time.GetUtcNow();
            if (state.ScheduledFor is { } scheduled && scheduled + Stale > now)
            {
                LogCoalesced(callId, scheduled);
                return;
            }

            var due = state.LastFetchStartedAt is { } last && last + window > now ? last + window : now;
            if (await store.TrySaveStateAsync(callId, state with { ScheduledFor = due }, found?.ETag ?? default, cancellationToken))
            {
                LogScheduled(callId, due);
                await queue.SendAsync(
                    new OutboundMessage(QueueNames.TranscriptFetch, new TranscriptFetchMessage(callId, traceParent).Encode(), $"{callId}:{due.ToUnixTimeMilliseconds()}", "transcript", new Dictionary<string, string>())
                    {
                        VisibleAfter = due > now ? due - now : null,
                    },
                    cancellationToken);
                return;
            }
        }

        throw new InvalidOperationException($"The transcript state of call {callId} kept changing; the host retries.");
    }

    [LoggerMessage(2, LogLevel.Debug, "Transcript fetch of {CallId} scheduled for {Due:O}")]
    private partial void LogScheduled(string callId, DateTimeOffset due);

    [LoggerMessage(1, LogLevel.Debug, "Transcript update for {CallId} joins the fetch due at {Due:O}")]
    private partial void LogCoalesced(string callId, DateTimeOffset due);
}
