namespace SimpleAi.Webhooks.Transcripts;

/// <summary>
/// Which copy of a <c>transcript-fetch</c> message fetches, as a pure decision (<see cref="TranscriptFetcher"/> does
/// the I/O). Every copy of one fetch's message carries its token: the update that scheduled it routed twice sends it
/// twice, a send may be repeated, a poisoned one replayed. The copy that begins the fetch claims it with its queue
/// message id (stable across that message's redeliveries), so only it fetches, once, and again only after an error
/// or a crash; a copy with another id drops while the claim is live and takes over after <c>lease</c>, in case the
/// claimer's message was lost. Every claim (begin, retry, take-over) is written with the time it began, which is
/// when the coalescing window of the next fetch starts.
/// </summary>
/// <param name="Claimed">The state to write (conditionally) before fetching; null when this copy does not fetch.</param>
public readonly record struct TranscriptFetchDecision(TranscriptState? Claimed, string Reason)
{
    public bool Fetches => Claimed is not null;

    /// <param name="state">The call's transcript state as read now; null when there is none.</param>
    /// <param name="token">The message's token; null in a message without one (it may only begin a due fetch).</param>
    /// <param name="queueMessageId">The queue message carrying it, stable across its redeliveries.</param>
    /// <param name="lease">
    /// How long a claim keeps other copies away: longer than one fetch can run, and not shorter than the coalescing
    /// window, so a take-over never makes a second fetch inside one window.
    /// </param>
    public static TranscriptFetchDecision Decide(TranscriptState? state, string? token, string queueMessageId, DateTimeOffset now, TimeSpan lease)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueMessageId);
        if (state is null)
        {
            return new(null, "nothing is known of the call");
        }

        if (token is not null && state.Token != token)
        {
            return new(null, "overtaken by a newer fetch, which reads every line");
        }

        if (state.ScheduledFor is not null)
        {
            return Claim(state, queueMessageId, now, "beginning the fetch");
        }

        if (token is null)
        {
            return new(null, "no fetch is due");
        }

        if (state.FetchClaimedBy == queueMessageId)
        {
            return Claim(state, queueMessageId, now, "this message's fetch, tried again");
        }

        return state.FetchClaimedBy is not null && state.LastFetchStartedAt is { } claimed && claimed + lease > now
            ? new(null, "another copy of this message began the fetch")
            : Claim(state, queueMessageId, now, "taking over the fetch from a copy whose claim lapsed");
    }

    private static TranscriptFetchDecision Claim(TranscriptState state, string queueMessageId, DateTimeOffset now, string reason) =>
        new(state with { ScheduledFor = null, LastFetchStartedAt = now, FetchClaimedBy = queueMessageId }, reason);
}
