using Azure.Messaging.ServiceBus;
using Moq;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Webhooks.Tests.Queues;

/// <summary>Service Bus cannot run here: the SDK's client and sender are mocked (their members are virtual).</summary>
public sealed class ServiceBusQueueSenderTests
{
    private static readonly EventMessage Event = new(
        "evt_1", "call.completed", "123e4567-e89b-12d3-a456-426614174000", 2, "msg_1",
        DateTimeOffset.UnixEpoch, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null, "{\"a\":1}"u8.ToArray());

    private readonly Mock<ServiceBusClient> _client = new();
    private readonly Mock<ServiceBusSender> _sender = new();

    public ServiceBusQueueSenderTests()
    {
        _client.Setup(c => c.CreateSender(QueueNames.Events)).Returns(_sender.Object);
    }

    [Fact]
    public async Task Send_MapsEventToMessageIdSubjectAndProperties()
    {
        ServiceBusMessage? sent = null;
        _sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback<ServiceBusMessage, CancellationToken>((m, _) => sent = m)
            .Returns(Task.CompletedTask);
        await using var queue = new ServiceBusQueueSender(_client.Object, TimeProvider.System);

        await queue.SendAsync(EventMessageCodec.ToOutboundMessage(Event), CancellationToken.None);

        Assert.NotNull(sent);
        Assert.Equal("evt_1", sent.MessageId);
        Assert.Equal("call.completed", sent.Subject);
        Assert.Equal("application/json", sent.ContentType);
        Assert.Equal(Event.CallId, sent.ApplicationProperties["call_id"]);
        Assert.Equal("2", sent.ApplicationProperties["attempt"]);
        Assert.Equal(Event.TraceParent, sent.ApplicationProperties["Diagnostic-Id"]);
        Assert.True(EventMessageCodec.TryDecode(sent.Body.ToArray(), out var decoded, out _));
        Assert.Equal(Event.Body.ToArray(), decoded.Body.ToArray());
    }

    [Fact]
    public async Task Send_ReusesOneSenderPerQueue()
    {
        await using var queue = new ServiceBusQueueSender(_client.Object, TimeProvider.System);

        await queue.SendAsync(EventMessageCodec.ToOutboundMessage(Event), CancellationToken.None);
        await queue.SendAsync(EventMessageCodec.ToOutboundMessage(Event), CancellationToken.None);

        _client.Verify(c => c.CreateSender(QueueNames.Events), Times.Once);
        _sender.Verify(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    public static TheoryData<Exception> BrokerFaults() => new()
    {
        new ServiceBusException("busy", ServiceBusFailureReason.ServiceBusy),
        new ServiceBusException("gone", ServiceBusFailureReason.MessagingEntityNotFound),
        new ServiceBusException("timeout", ServiceBusFailureReason.ServiceTimeout),
        new UnauthorizedAccessException("no role"),
        new TaskCanceledException("try timeout"),
    };

    [Theory]
    [MemberData(nameof(BrokerFaults))]
    public async Task BrokerFault_BecomesQueueUnavailable(Exception fault)
    {
        _sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>())).ThrowsAsync(fault);
        await using var queue = new ServiceBusQueueSender(_client.Object, TimeProvider.System);

        var exception = await Assert.ThrowsAsync<QueueUnavailableException>(
            () => queue.SendAsync(EventMessageCodec.ToOutboundMessage(Event), CancellationToken.None));

        Assert.Same(fault, exception.InnerException);
    }

    public static TheoryData<Exception> ClientFaults() => new()
    {
        new InvalidOperationException("sender closed"),
        new ObjectDisposedException("ServiceBusSender"),
        new ArgumentOutOfRangeException("MessageId", "too long"),
    };

    [Theory]
    [MemberData(nameof(ClientFaults))]
    public async Task AnyOtherSenderFault_BecomesQueueUnavailable(Exception fault)
    {
        _sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>())).ThrowsAsync(fault);
        await using var queue = new ServiceBusQueueSender(_client.Object, TimeProvider.System);

        var exception = await Assert.ThrowsAsync<QueueUnavailableException>(
            () => queue.SendAsync(EventMessageCodec.ToOutboundMessage(Event), CancellationToken.None));

        Assert.Same(fault, exception.InnerException);
    }

    [Fact]
    public async Task EventIdLongerThanTheBrokerAllows_IsSentUnderAStableShorterId()
    {
        var sent = new List<ServiceBusMessage>();
        _sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback<ServiceBusMessage, CancellationToken>((m, _) => sent.Add(m))
            .Returns(Task.CompletedTask);
        await using var queue = new ServiceBusQueueSender(_client.Object, TimeProvider.System);
        var longId = "evt_" + new string('a', 252);
        var otherLongId = "evt_" + new string('a', 251) + "b";

        await queue.SendAsync(EventMessageCodec.ToOutboundMessage(Event with { EventId = longId }), CancellationToken.None);
        await queue.SendAsync(EventMessageCodec.ToOutboundMessage(Event with { EventId = longId }), CancellationToken.None);
        await queue.SendAsync(EventMessageCodec.ToOutboundMessage(Event with { EventId = otherLongId }), CancellationToken.None);

        Assert.Equal(3, sent.Count);
        Assert.All(sent, m => Assert.InRange(m.MessageId.Length, 1, ServiceBusMessageIds.MaxLength));
        Assert.Equal(sent[0].MessageId, sent[1].MessageId);
        Assert.NotEqual(sent[0].MessageId, sent[2].MessageId);
        Assert.True(EventMessageCodec.TryDecode(sent[0].Body.ToArray(), out var decoded, out _));
        Assert.Equal(longId, decoded.EventId);
    }

    [Fact]
    public async Task EventIdWithinTheLimit_IsTheMessageIdAsItIs()
    {
        ServiceBusMessage? sent = null;
        _sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback<ServiceBusMessage, CancellationToken>((m, _) => sent = m)
            .Returns(Task.CompletedTask);
        await using var queue = new ServiceBusQueueSender(_client.Object, TimeProvider.System);
        var id = "evt_" + new string('z', ServiceBusMessageIds.MaxLength - 4);

        await queue.SendAsync(EventMessageCodec.ToOutboundMessage(Event with { EventId = id }), CancellationToken.None);

        Assert.Equal(id, sent!.MessageId);
    }

    [Fact]
    public async Task CallerCancellation_IsNotDisguisedAsUnavailable()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        _sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OperationCanceledException(cancelled.Token));
        await using var queue = new ServiceBusQueueSender(_client.Object, TimeProvider.System);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => queue.SendAsync(EventMessageCodec.ToOutboundMessage(Event), cancelled.Token));
    }
}
