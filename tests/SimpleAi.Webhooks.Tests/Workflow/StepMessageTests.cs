namespace SimpleAi.Webhooks.Tests.Workflow;

public sealed class StepMessageTests
{
    [Fact]
    public void EncodeThenDecode_RoundTrips()
    {
        var message = new StepMessage("run-1", "call-1", "evt_1", "notify", "token-1", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        Assert.True(StepMessage.TryDecode(message.Encode().ToString(), out var decoded, out var error), error);
        Assert.Equal(message, decoded);
    }

    [Fact]
    public void EncodeThenDecode_WithTheRunItCarries_RoundTrips()
    {
        var run = new RunSnapshot("W/\"datetime'2026-11-28T09%3A00%3A00.0000000Z'\"", "Running", "{\"a\":{\"status\":\"queued\"}}", "{\"call_id\":\"c\"}", DateTimeOffset.UnixEpoch, "msg-1");
        var message = new StepMessage("run-1", "call-1", "evt_1", "a", "token-1", Run: run);

        Assert.True(StepMessage.TryDecode(message.Encode().ToString(), out var decoded, out var error), error);
        Assert.Equal(run, decoded.Run);
    }

    [Fact]
    public void Encoded_IsSmallAndCarriesNoData()
    {
        var json = new StepMessage("123e4567-e89b-12d3-a456-426614174000", "123e4567-e89b-12d3-a456-426614174000", "evt_1", "crm-sync", Guid.NewGuid().ToString("N")).Encode().ToString();

        Assert.InRange(json.Length, 1, 300);
        Assert.DoesNotContain("data", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Encoded_KeepsItsWireNames()
    {
        var run = new RunSnapshot("W/1", "Running", "{}", "{}", DateTimeOffset.UnixEpoch, "msg-1");

        var json = new StepMessage("r", "c", "e", "a", "t", "tp", "ts", run).Encode().ToString();

        Assert.Equal(
            "{\"run_id\":\"r\",\"call_id\":\"c\",\"event_id\":\"e\",\"step\":\"a\",\"token\":\"t\",\"traceparent\":\"tp\",\"tracestate\":\"ts\","
            + "\"run\":{\"etag\":\"W/1\",\"status\":\"Running\",\"steps\":\"{}\",\"data\":\"{}\",\"created_at\":\"1970-01-01T00:00:00+00:00\",\"started_by\":\"msg-1\"},\"v\":1}",
            json);
    }

    [Theory]
    [InlineData("", "not a step message")]
    [InlineData("null", "JSON null")]
    [InlineData("[1]", "not a step message")]
    [InlineData("{\"v\":1,\"run_id\":\"r\",\"call_id\":\"c\",\"event_id\":\"e\",\"step\":\"a\"}", "not a step message")]
    [InlineData("{\"v\":1,\"run_id\":\"\",\"call_id\":\"c\",\"event_id\":\"e\",\"step\":\"a\",\"token\":\"t\"}", "'run_id' is required")]
    [InlineData("{\"v\":3,\"run_id\":\"r\",\"call_id\":\"c\",\"event_id\":\"e\",\"step\":\"a\",\"token\":\"t\"}", "unsupported message version")]
    [InlineData("{\"v\":1,\"run_id\":\"r\",\"call_id\":\"c\",\"event_id\":\"e\",\"step\":7,\"token\":\"t\"}", "not a step message")]
    public void UnusableMessage_IsRefusedWithReason(string text, string reason)
    {
        Assert.False(StepMessage.TryDecode(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
