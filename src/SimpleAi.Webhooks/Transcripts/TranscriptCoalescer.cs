using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Transcripts;

/// <summary>
/// Turns a burst of transcript updates into few fetches: an update schedules a fetch unless one is already due and
/// not yet begun (that one will read the newest lines). A fetch is due at once, or one window after the last fetch
/// began; so at most one fetch per window per call, and an update that comes while a fetch runs schedules the next
/// one, so the last update of a burst always leads to a fetch. The schedule is saved, then its message sent: the
/// update that scheduled it, delivered again after a crash between the two (or replayed), sends the message again,
/// until its fetch begins; the copies of a fetch's message fetch once (<see cref="TranscriptFetchDecision"/>).
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
        var (outcome, state, now) = await ETagRetry.UpdateAsync(
            10,
            (_, ct) => store.FindStateAsync(callId, ct),
            found => Decide(found?.State ?? new TranscriptState(null, null, 0), eventId, time.GetUtcNow()),
            (found, next, ct) => store.TrySaveStateAsync(callId, next, found?.ETag ?? default, ct),
            _ => throw new InvalidOperationException($"The transcript state of call {callId} kept changing; the host retries."),
            cancellationToken);
        switch (outcome)
        {
            case Outcome.Begun:
                LogBegun(callId, state.LastFetchStartedAt);
                return;
            case Outcome.Coalesced:
                LogCoalesced(callId, state.ScheduledFor!.Value);
                return;
            case Outcome.Resent:
                LogResent(callId, state.ScheduledFor!.Value);
                break;
            default:
                LogScheduled(callId, state.ScheduledFor!.Value);
                break;
        }

        await SendAsync(callId, state.Token!, state.ScheduledFor!.Value, now, traceParent, cancellationToken);
    }

    /// <summary>
    /// Re-send this update's own schedule while its fetch has not begun, do nothing once it has, leave a pending fetch
    /// to itself, or schedule (and save) a new fetch.
    /// </summary>
    private ETagDecision<TranscriptState, (Outcome, TranscriptState, DateTimeOffset)> Decide(TranscriptState state, string eventId, DateTimeOffset now)
    {
        if (state.Token is not null && state.ScheduledBy == eventId)
        {
            // Another copy of the update that scheduled the current fetch. Before the fetch began, its message may have
            // been lost: send it again (the fetch's copies run it once). After, the fetch read at least what this
            // update announced: a new fetch would read nothing new.
            return new((state.ScheduledFor is null ? Outcome.Begun : Outcome.Resent, state, now), false, null);
        }

        if (state.ScheduledFor is { } scheduled && scheduled + Stale > now)
        {
            return new((Outcome.Coalesced, state, now), false, null);
        }

        var window = TimeSpan.FromMilliseconds(options.Value.CoalesceMilliseconds);
        var due = state.LastFetchStartedAt is { } last && last + window > now ? last + window : now;
        var next = state with { ScheduledFor = due, Token = Guid.NewGuid().ToString("N"), ScheduledBy = eventId };
        return new((Outcome.Scheduled, next, now), true, next);
    }

    private Task SendAsync(string callId, string token, DateTimeOffset due, DateTimeOffset now, string? traceParent, CancellationToken cancellationToken) =>
        queue.SendAsync(
            new OutboundMessage(QueueNames.TranscriptFetch, new TranscriptFetchMessage(callId, token, traceParent).Encode(), $"{callId}:{token}", "transcript", new Dictionary<string, string>())
            {
                VisibleAfter = due > now ? due - now : null,
            },
            cancellationToken);

    [LoggerMessage(4, LogLevel.Debug, "Transcript update for {CallId} is a copy of the one whose fetch began at {Began:O}: nothing to do")]
    private partial void LogBegun(string callId, DateTimeOffset? began);

    [LoggerMessage(3, LogLevel.Information, "Transcript fetch of {CallId} due at {Due:O} sent again by the update that scheduled it")]
    private partial void LogResent(string callId, DateTimeOffset due);

    [LoggerMessage(2, LogLevel.Debug, "Transcript fetch of {CallId} scheduled for {Due:O}")]
    private partial void LogScheduled(string callId, DateTimeOffset due);

    [LoggerMessage(1, LogLevel.Debug, "Transcript update for {CallId} joins the fetch due at {Due:O}")]
    private partial void LogCoalesced(string callId, DateTimeOffset due);

    private enum Outcome
    {
        Scheduled,
        Resent,
        Coalesced,
        Begun,
    }
}
