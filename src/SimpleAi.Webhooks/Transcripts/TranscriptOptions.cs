using System.ComponentModel.DataAnnotations;

namespace SimpleAi.Webhooks.Transcripts;

/// <summary>Live transcripts (section <c>Transcripts</c>).</summary>
public sealed class TranscriptOptions
{
    public const string Section = "Transcripts";

    /// <summary>At most one fetch of a call's transcript per window; the last update of a burst always leads to one.</summary>
    [Range(0, 600_000)]
    public int CoalesceMilliseconds { get; set; } = 2000;

    /// <summary>Phrases or patterns on new caller lines that start a step at once (once per call and trigger).</summary>
    public List<KeywordTrigger> Triggers { get; set; } = [];
}
