using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.SimpleAiApi;

namespace SimpleAi.Webhooks.Tests.Actions;

/// <summary>
/// The exact bytes an action step posts: UTF-8 with only the escapes JSON requires, and the API's timestamps as
/// the API wrote them. Compared as bytes, never as parsed JSON, because receivers match text.
/// </summary>
public sealed class OutboundFormatsTests
{
    private const string CallId = "0b9c2a52-5d0e-4a43-9a55-7d4fd1f0c0de";

    // What GET /calls/{uuid} might return for a French-speaking caller: a `+` number, accents, emoji (outside the
    // BMP), characters HTML cares about, a quote and a newline (which JSON must escape), and timestamps with and
    // without fractional seconds.
    private const string ApiCall = """
        {
          "simple_uuid": "0b9c2a52-5d0e-4a43-9a55-7d4fd1f0c0de",
          "from_number": "+15551234567", "to_number": "+33142685300",
          "status": "completed", "direction": "inbound", "answered_by": "human",
          "started_at": "2025-01-15T10:30:00Z", "ended_at": "2025-01-15T10:36:45.123Z", "duration": 405,
          "tags": [{"id": 1, "name": "vip 📞", "description": null, "color": null}],
          "transcripts": [
            {"text": "Bonjour, c'est Zoë <zoe@example.com> & co 😀", "role": "user", "timestamp": "2025-01-15T10:30:00.123Z", "function_name": null, "arguments": null},
            {"text": "Très bien.", "role": "assistant", "timestamp": "2025-01-15T10:30:04Z", "function_name": null, "arguments": null}
          ],
          "recording_presigned_url": "https://recordings.example.invalid/a.wav?x=1&y=2",
          "analysis_results": [{"id": 1, "analyzer_id": 3, "prompt": "Caller's mood?", "output_config": {"type": "text"}, "result": "très content 😀"}],
          "summary": {"text": "Zoë asked about \"billing\"\n", "outcome": "resolved"},
          "params": {"customer_name": "Zoë Durand", "note": "café ☕"},
          "external_identifiers": {"crm": "C+1"}
        }
        """;

    private static readonly StepContext Context = new(CallId, CallId, "evt_é+1", "crm-sync", new Dictionary<string, string>(), 1, $"{CallId}:crm-sync");

    private static SimpleAiCall Parse(string json) =>
        JsonSerializer.Deserialize<SimpleAiCall>(Encoding.UTF8.GetBytes(json), SimpleAiClient.JsonOptions)!;

    /// <summary>An expected body written over several lines for reading: the lines joined with nothing between them.</summary>
    private static string Joined(string lines) => lines.ReplaceLineEndings(string.Empty);

    private static void AssertBytes(string expected, byte[] actual)
    {
        Assert.Equal(expected, Encoding.UTF8.GetString(actual));
        Assert.Equal(Encoding.UTF8.GetBytes(expected), actual);
    }

    [Fact]
    public void Document_WithPlusAccentsAndEmoji_IsRawUtf8WithTheApisTimestamps()
    {
        var call = Parse(ApiCall);

        var body = OutboundFormats.Build(OutboundFormats.Document, Context, call, includeTranscript: true);

        AssertBytes(
            Joined("""
                {"type":"simpleai.call.completed","step":"crm-sync","idempotency_key":"0b9c2a52-5d0e-4a43-9a55-7d4fd1f0c0de:crm-sync","run_id":"0b9c2a52-5d0e-4a43-9a55-7d4fd1f0c0de","call_id":"0b9c2a52-5d0e-4a43-9a55-7d4fd1f0c0de","event_id":"evt_é+1",
                "call":{"status":"completed","direction":"inbound","from_number":"+15551234567","to_number":"+33142685300","answered_by":"human","started_at":"2025-01-15T10:30:00Z","ended_at":"2025-01-15T10:36:45.123Z","duration":405,"recording_url":"https://recordings.example.invalid/a.wav?x=1&y=2"},
                "outcome":"resolved","summary":"Zoë asked about \"billing\"\n","tags":["vip 📞"],
                "analysis":[{"analyzer_id":3,"prompt":"Caller's mood?","type":"text","result":"très content 😀"}],
                "params":{"customer_name":"Zoë Durand","note":"café ☕"},"external_identifiers":{"crm":"C+1"},
                "transcript":[{"role":"user","text":"Bonjour, c'est Zoë <zoe@example.com> & co 😀","timestamp":"2025-01-15T10:30:00.123Z"},{"role":"assistant","text":"Très bien.","timestamp":"2025-01-15T10:30:04Z"}]}
                """),
            body);
    }

    public static TheoryData<string, string> Notifications => new()
    {
        { OutboundFormats.Slack, """{"text":"Call 0b9c2a52-5d0e-4a43-9a55-7d4fd1f0c0de: inbound +15551234567 → +33142685300, 6:45, answered by human. Outcome: resolved. Tags: vip 📞. Zoë asked about \"billing\"\n"}""" },
        { OutboundFormats.Teams, """{"@type":"MessageCard","@context":"https://schema.org/extensions","summary":"Call 0b9c2a52-5d0e-4a43-9a55-7d4fd1f0c0de","text":"Call 0b9c2a52-5d0e-4a43-9a55-7d4fd1f0c0de: inbound +15551234567 → +33142685300, 6:45, answered by human. Outcome: resolved. Tags: vip 📞. Zoë asked about \"billing\"\n"}""" },
    };

    [Theory]
    [MemberData(nameof(Notifications))]
    public void Notification_WithPlusAccentsAndEmoji_IsRawUtf8(string format, string expected)
    {
        var call = Parse(ApiCall);

        var body = OutboundFormats.Build(format, Context, call, includeTranscript: false);

        AssertBytes(expected, body);
    }

    [Theory]
    [InlineData("2025-01-15T10:30:00Z")]
    [InlineData("2025-01-15T10:30:00.123Z")]
    [InlineData("2025-01-15T10:30:00.1234567Z")]
    [InlineData("2025-01-15T11:30:00+01:00")]
    public void Document_Timestamps_AreTheApisText(string timestamp)
    {
        var call = Parse($$"""{"started_at": "{{timestamp}}", "ended_at": "{{timestamp}}", "transcripts": [{"text": "hi", "role": "user", "timestamp": "{{timestamp}}"}]}""");

        var body = Encoding.UTF8.GetString(OutboundFormats.Build(OutboundFormats.Document, Context, call, includeTranscript: true));

        Assert.Contains($"\"started_at\":\"{timestamp}\",\"ended_at\":\"{timestamp}\"", body, StringComparison.Ordinal);
        Assert.Contains($"\"timestamp\":\"{timestamp}\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Document_WithNullTimestamps_WritesNull()
    {
        var call = Parse("""{"status": "completed", "started_at": null, "transcripts": [{"text": "hi", "role": "user", "timestamp": null}]}""");

        var body = Encoding.UTF8.GetString(OutboundFormats.Build(OutboundFormats.Document, Context, call, includeTranscript: true));

        Assert.Contains("\"started_at\":null,\"ended_at\":null", body, StringComparison.Ordinal);
        Assert.Contains("\"timestamp\":null", body, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadmeExample_IsTheDocumentOfTheFixtureCall()
    {
        var fixture = Parse(File.ReadAllText(RepoPaths.Fixture("get-call-completed.json")));
        using var webhook = JsonDocument.Parse(RepoPaths.FixtureBytes("webhook-call-completed.json"));
        var callId = webhook.RootElement.GetProperty("payload").GetProperty("call_id").GetString()!;
        var eventId = webhook.RootElement.GetProperty("event_id").GetString()!;
        var context = new StepContext(callId, callId, eventId, "crm-sync", new Dictionary<string, string>(), 1, $"{callId}:crm-sync");

        var body = OutboundFormats.Build(OutboundFormats.Document, context, fixture, includeTranscript: true);

        AssertBytes(ReadmeExamples.WithoutLayout(ReadmeExamples.JsonBlockAfter("## Outbound documents")), body);
    }
}
