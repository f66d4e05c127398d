namespace SimpleAi.Webhooks.Transcripts;

/// <summary>
/// Coalescing state of one call: when the last fetch began, when the next (not yet begun) fetch is due, how many
/// lines are stored, and which fetch is current: <see cref="Token"/> names the one <c>transcript-fetch</c> message
/// that may run it (a message with another token was overtaken by a newer fetch, which reads every line), and
/// <see cref="ScheduledBy"/> the update (event id) that scheduled it, so that update, delivered again, re-sends a
/// message a crash may have lost. <see cref="FetchClaimedBy"/> is the queue message that began the current fetch (see
/// <see cref="TranscriptFetchDecision"/>), so other copies of that message do not fetch again. <see cref="Indexed"/>
/// says a fetch wrote the call into the <c>CallIndex</c> (once per call: its numbers and start for the console).
/// </summary>
public sealed record TranscriptState(
    DateTimeOffset? LastFetchStartedAt,
    DateTimeOffset? ScheduledFor,
    int LineCount,
    string? Token = null,
    string? ScheduledBy = null,
    string? FetchClaimedBy = null,
    bool Indexed = false);
