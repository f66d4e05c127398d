using SimpleAi.Webhooks.Events;

namespace SimpleAi.Webhooks.Tests.Events;

public sealed class EnvelopeParserTests
{
    private const string CallId = "123e4567-e89b-12d3-a456-426614174000";

    [Theory]
    [InlineData("webhook-call-completed.json", "call.completed", "evt_Wqb1k73rXprtTm7Qdlr38G", 1)]
    [InlineData("webhook-call-started.json", "call.started", "evt_0aB7cD3eF9gH1iJ5kL2mNo", 1)]
    [InlineData("webhook-call-transcript-update.json", "call.transcript_update", "evt_5mTq9ZcY2bWn8LxR1dKp0A", 2)]
    public void FixtureBodies_Parse(string fixture, string type, string id, int attempt)
    {
        Assert.True(EnvelopeParser.TryParse(RepoPaths.FixtureBytes(fixture), out var envelope, out var error), error?.ToString());

        Assert.Equal(new WebhookEnvelope(type, id, CallId, attempt), envelope);
    }

    [Fact]
    public void TranscriptUpdatedSpelling_IsKnownType()
    {
        var body = $$$"""{"event_type":"transcript.updated","event_id":"evt_1","payload":{"call_id":"{{{CallId}}}","attempt":3}}""";

        Assert.True(EnvelopeParser.TryParse(Encoding.UTF8.GetBytes(body), out var envelope, out _));
        Assert.True(envelope.IsKnownType);
    }

    [Theory]
    [InlineData("call.\\u0063ompleted", "call.completed")]
    [InlineData("call.completed", "call.completed")]
    [InlineData("Call.Completed", "Call.Completed")]
    public void EventType_IsReadAsWritten_EscapesDecoded(string written, string expected)
    {
        var body = Encoding.UTF8.GetBytes($"{{\"event_type\":\"{written}\",\"event_id\":\"evt_\u00a01\",\"payload\":{{\"call_id\":\"{CallId}\",\"attempt\":1}}}}");

        Assert.True(EnvelopeParser.TryParse(body, out var envelope, out var error), error?.ToString());
        Assert.Equal(expected, envelope.EventType);
        Assert.Equal("evt_\u00a01", envelope.EventId);
    }

    [Fact]
    public void UnknownType_NeedsNoPayload()
    {
        var body = """{"event_type":"agent.updated","event_id":"evt_9","data":{"x":[1,2,{"y":null}]}}""";

        Assert.True(EnvelopeParser.TryParse(Encoding.UTF8.GetBytes(body), out var envelope, out _));
        Assert.Equal(new WebhookEnvelope("agent.updated", "evt_9", null, null), envelope);
        Assert.False(envelope.IsKnownType);
    }

    [Fact]
    public void ExtraFieldsAndWhitespace_AreIgnored()
    {
        var body = $$"""
            {
              "meta": {"nested": [1, 2, {"deep": true}]},
              "event_id": "evt_2",
              "payload": {"agent": {"id": 5}, "attempt": 4, "call_id": "{{CallId}}"},
              "event_type": "call.completed"
            }
            """;

        Assert.True(EnvelopeParser.TryParse(Encoding.UTF8.GetBytes(body), out var envelope, out _));
        Assert.Equal(new WebhookEnvelope("call.completed", "evt_2", CallId, 4), envelope);
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { "", "$" },
        { "not json", "$" },
        { "[]", "$" },
        { "\"call.completed\"", "$" },
        { "{\"event_type\":\"call.completed\",\"event_id\":\"evt_1\"", "$" },
        { $"{{\"event_type\":\"call.completed\",\"event_id\":\"evt_1\",\"payload\":{{\"call_id\":\"{CallId}\",\"attempt\":1}}}} trailing", "$" },
        { $"{{\"event_type\":\"call.completed\",\"event_id\":\"evt_1\",\"payload\":{{\"call_id\":\"{CallId}\",\"attempt\":1}},}}", "$" },
        { "{\"event_id\":\"evt_1\",\"payload\":{}}", "event_type" },
        { "{\"event_type\":\"\",\"event_id\":\"evt_1\"}", "event_type" },
        { "{\"event_type\":7,\"event_id\":\"evt_1\"}", "event_type" },
        { "{\"event_type\":null,\"event_id\":\"evt_1\"}", "event_type" },
        { "{\"event_type\":\"call.completed\"}", "event_id" },
        { "{\"event_type\":\"call.completed\",\"event_id\":\"\"}", "event_id" },
        { "{\"event_type\":\"call.completed\",\"event_id\":42}", "event_id" },
        { "{\"event_type\":\"call.completed\",\"event_id\":\"evt/1\"}", "event_id" },
        { "{\"event_type\":\"call.completed\",\"event_id\":\"evt\\u00011\"}", "event_id" },
        { "{\"event_type\":\"call.completed\",\"event_id\":\"evt\\u007f1\"}", "event_id" },
        { "{\"event_type\":\"call.completed\",\"event_id\":\"evt\\u00851\"}", "event_id" },
        { "{\"event_type\":\"call.completed\",\"event_id\":\"evt\\u009f1\"}", "event_id" },
        { "{\"event_type\":\"call.completed\",\"event_id\":\"evt?1\"}", "event_id" },
        { "{\"event_type\":\"call.completed\",\"event_id\":\"evt#1\"}", "event_id" },
        { "{\"event_type\":\"call.completed\",\"event_id\":\"evt\\\\1\"}", "event_id" },
        { $"{{\"event_type\":\"call.completed\",\"event_id\":\"{new string('e', 257)}\"}}", "event_id" },
        { "{\"event_type\":\"call.completed\",\"event_id\":\"evt_1\"}", "payload" },
        { "{\"event_type\":\"call.completed\",\"event_id\":\"evt_1\",\"payload\":[]}", "payload" },
        { "{\"event_type\":\"call.completed\",\"event_id\":\"evt_1\",\"payload\":{\"attempt\":1}}", "payload.call_id" },
        { "{\"event_type\":\"call.completed\",\"event_id\":\"evt_1\",\"payload\":{\"call_id\":12,\"attempt\":1}}", "payload.call_id" },
        { "{\"event_type\":\"call.completed\",\"event_id\":\"evt_1\",\"payload\":{\"call_id\":\"../../admin\",\"attempt\":1}}", "payload.call_id" },
        { $"{{\"event_type\":\"call.completed\",\"event_id\":\"evt_1\",\"payload\":{{\"call_id\":\"{CallId}\"}}}}", "payload.attempt" },
        { $"{{\"event_type\":\"call.completed\",\"event_id\":\"evt_1\",\"payload\":{{\"call_id\":\"{CallId}\",\"attempt\":\"1\"}}}}", "payload.attempt" },
        { $"{{\"event_type\":\"call.completed\",\"event_id\":\"evt_1\",\"payload\":{{\"call_id\":\"{CallId}\",\"attempt\":0}}}}", "payload.attempt" },
        { $"{{\"event_type\":\"call.completed\",\"event_id\":\"evt_1\",\"payload\":{{\"call_id\":\"{CallId}\",\"attempt\":1.5}}}}", "payload.attempt" },
        { $"{{\"event_type\":\"call.completed\",\"event_id\":\"evt_1\",\"payload\":{{\"call_id\":\"{CallId}\",\"attempt\":99999999999999999999}}}}", "payload.attempt" },
        { "{\"event_type\":\"call.completed\",\"event_type\":\"call.started\",\"event_id\":\"evt_1\"}", "event_type" },
        { "{\"event_type\":\"call.completed\",\"event_id\":\"evt_1\",\"event_id\":\"evt_2\"}", "event_id" },
        { $"{{\"event_type\":\"call.completed\",\"event_id\":\"evt_1\",\"payload\":{{\"call_id\":\"{CallId}\",\"call_id\":\"{CallId}\",\"attempt\":1}}}}", "payload.call_id" },
        { "{\"event_type\":\"agent.updated\",\"event_id\":\"evt_1\",\"payload\":{\"attempt\":-1}}", "payload.attempt" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public void BadBody_IsRefusedNamingTheField(string body, string field)
    {
        Assert.False(EnvelopeParser.TryParse(Encoding.UTF8.GetBytes(body), out _, out var error));

        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Detail));
    }

    [Fact]
    public void InvalidUtf8_IsRefused()
    {
        byte[] body = [.. "{\"event_type\":\"call.completed\",\"event_id\":\"evt_"u8, 0xC3, 0x28, .. "\"}"u8];

        Assert.False(EnvelopeParser.TryParse(body, out _, out var error));
        Assert.Contains("UTF-8", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void DeepNesting_IsRefusedNotThrown()
    {
        var body = "{\"event_type\":\"x.y\",\"event_id\":\"evt_1\",\"deep\":" + new string('[', 1000) + new string(']', 1000) + "}";

        Assert.False(EnvelopeParser.TryParse(Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.Equal("$", error.Field);
    }
}
