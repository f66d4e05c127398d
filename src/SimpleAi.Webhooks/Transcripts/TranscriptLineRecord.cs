namespace SimpleAi.Webhooks.Transcripts;

/// <summary>One stored transcript line; <see cref="Index"/> is its position in the call's transcript.</summary>
public sealed record TranscriptLineRecord(int Index, string? Role, string? Text, DateTimeOffset? Timestamp, string? FunctionName = null);
