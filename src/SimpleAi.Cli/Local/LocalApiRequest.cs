namespace SimpleAi.Cli.Local;

/// <summary>
/// One request <see cref="LocalSimpleAiApi"/> answered: its status, and for a call it served whether the call was
/// live and how many of its transcript lines went out. <see cref="Note"/> says why in a few words when it was not 200.
/// </summary>
public sealed record LocalApiRequest(
    DateTimeOffset At, string Method, string Path, int Status, Guid? CallId, bool Live, int? TranscriptLines, int? TranscriptTotal, string? Note);
