using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Webhooks.Tests.Events;

public sealed class EventMessageCodecTests
{
    private static EventMessage Sample(byte[] body) => new(
        "evt_Wqb1k73rXprtTm7Qdlr38G",
        "call.completed",
        "123e4567-e89b-12d3-a456-426614174000",
        1,
        "msg_1",
        DateTimeOffset.Parse("2026-04-12T14:36:48Z", System.Globalization.CultureInfo.InvariantCulture),
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "vendor=x",
        body);

    [Fact]
    public void EncodeThenDecode_KeepsEveryFieldAndTheBodyByteForByte()
    {
        var body = RepoPaths.FixtureBytes("webhook-call-completed.json");
        var message = Sample(body);

        Assert.True(EventMessageCodec.TryDecode(EventMessageCodec.Encode(message).ToArray(), out var decoded, out var error), error);

        Assert.Equal(message with { Body = default }, decoded with { Body = default });
        Assert.Equal(body, decoded.Body.ToArray());
    }

    [Fact]
    public void BodyInBlob_RoundTripsTheReferenceInsteadOfTheBytes()
    {
        var message = Sample([]) with { BodyBlob = "evt_Wqb1k73rXprtTm7Qdlr38G/0f8e.json" };

        var json = EventMessageCodec.Encode(message).ToString();

        Assert.DoesNotContain("\"body\"", json, StringComparison.Ordinal);
        Assert.True(EventMessageCodec.TryDecode(Encoding.UTF8.GetBytes(json), out var decoded, out _));
        Assert.Equal(message.BodyBlob, decoded.BodyBlob);
        Assert.True(decoded.Body.IsEmpty);
    }

    [Fact]
    public void Encoded_IsAsciiOnly_SoItIsSafeAsQueueText()
    {
        var body = Encoding.UTF8.GetBytes("{\"event_type\":\"x.é\",\"event_id\":\"evt_ü\"}");
        var message = Sample(body) with { EventType = "x.é\u0001<&>", EventId = "evt_ü" };

        var encoded = EventMessageCodec.Encode(message).ToArray();

        Assert.All(encoded, b => Assert.InRange(b, (byte)0x20, (byte)0x7E));
    }

    [Fact]
    public void QueueMessage_CarriesBrokerMetadata()
    {
        var message = Sample([1, 2, 3]);

        var queued = EventMessageCodec.ToOutboundMessage(message);

        Assert.Equal(QueueNames.Events, queued.QueueName);
        Assert.Equal(message.EventId, queued.MessageId);
        Assert.Equal(message.EventType, queued.Subject);
        Assert.Equal(message.CallId, queued.Properties["call_id"]);
        Assert.Equal("1", queued.Properties["attempt"]);
        Assert.Equal(message.TraceParent, queued.Properties["Diagnostic-Id"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nope")]
    [InlineData("[]")]
    [InlineData("{\"v\":2,\"event_id\":\"e\",\"event_type\":\"t\",\"body\":\"\"}")]
    [InlineData("{\"v\":1,\"event_type\":\"t\",\"body\":\"\"}")]
    [InlineData("{\"v\":1,\"event_id\":\"e\",\"event_type\":\"t\",\"body\":\"**\"}")]
    [InlineData("{\"v\":1,\"event_id\":\"e\",\"event_type\":\"t\"}")]
    public void UnusableMessage_IsRefusedWithReason(string json)
    {
        Assert.False(EventMessageCodec.TryDecode(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
