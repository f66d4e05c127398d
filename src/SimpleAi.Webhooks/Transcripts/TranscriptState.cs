namespace SimpleAi.Webhooks.Transcripts;

/// <summary>
/// Coalescing state of one call: when the last fetch began, when the next (not yet begun) fetch is due, and how
/// many lines are stored.
/// </summary>
public sealed record TranscriptState(DateTimeOffset? LastFetchStartedAt, DateTimeOffset? ScheduledFor, int LineCount);
