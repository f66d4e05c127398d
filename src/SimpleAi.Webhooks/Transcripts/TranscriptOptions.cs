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

/// <summary>
/// <c>{"Name": "cancel", "Phrases": ["cancel my account"], "Pattern": "\\bcancel\\b", "Step": "notify"}</c>: when a new
/// caller line contains a phrase (case-insensitive) or matches the pattern (100 ms timeout), run <c>Step</c> once.
/// </summary>
public sealed class KeywordTrigger
{
    public string Name { get; set; } = string.Empty;

    public List<string> Phrases { get; set; } = [];

    public string? Pattern { get; set; }

    public string Step { get; set; } = string.Empty;
}
