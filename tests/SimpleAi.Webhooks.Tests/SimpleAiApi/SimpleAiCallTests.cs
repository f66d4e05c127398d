using SimpleAi.Webhooks.SimpleAiApi;

namespace SimpleAi.Webhooks.Tests.SimpleAiApi;

/// <summary>Every field the app keeps of <c>GET /calls/{uuid}</c>, read from the documented example by its wire name.</summary>
public sealed class SimpleAiCallTests
{
    private static readonly SimpleAiCall Call =
        JsonSerializer.Deserialize<SimpleAiCall>(RepoPaths.FixtureBytes("get-call-completed.json"), SimpleAiClient.JsonOptions)!;

    [Fact]
    public void ExampleCall_ReadsTheCallsOwnFields()
    {
        Assert.Equal("123e4567-e89b-12d3-a456-426614174000", Call.SimpleUuid);
        Assert.Equal(("completed", "inbound", "human"), (Call.Status, Call.Direction, Call.AnsweredBy));
        Assert.Equal(("+15551234567", "+15557654321"), (Call.FromNumber, Call.ToNumber));
        Assert.Equal(("2026-04-12T14:30:02Z", "2026-04-12T14:36:47Z", 405d), (Call.StartedAt?.Text, Call.EndedAt?.Text, Call.Duration));
        Assert.Equal("https://recordings.example.invalid/123e4567.wav?sig=abc", Call.RecordingUrl);
        Assert.Equal("pro", Call.Params?.GetProperty("plan").GetString());
        Assert.Equal("C-10442", Call.ExternalIdentifiers?.GetProperty("crm_contact_id").GetString());
        Assert.Equal(new CallSummary("Caller was double-charged in April and asked for a refund and a call back today.", "refund_requested"), Call.Summary);
    }

    [Fact]
    public void ExampleCall_ReadsTagsTranscriptsAndAnalysisResults()
    {
        Assert.Equal(new CallTag(7, "billing", "Billing question", "#1f77b4"), Call.Tags[0]);
        var invoiceLookup = Call.Transcripts[2];
        Assert.Equal(("", "assistant", "2026-04-12T14:30:14Z", "lookup_invoice"), (invoiceLookup.Text, invoiceLookup.Role, invoiceLookup.Timestamp?.Text, invoiceLookup.FunctionName));
        Assert.Equal("A-2231", invoiceLookup.Arguments?.GetProperty("account_id").GetString());
        var sentiment = Call.AnalysisResults[1];
        Assert.Equal((902L, 4L, "Caller sentiment", "enum"), (sentiment.Id, sentiment.AnalyzerId, sentiment.Prompt, sentiment.OutputConfig?.Type));
        Assert.Equal("negative", sentiment.Result?.GetString());
    }
}
