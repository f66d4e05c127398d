namespace SimpleAi.Webhooks.Transcripts;

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
