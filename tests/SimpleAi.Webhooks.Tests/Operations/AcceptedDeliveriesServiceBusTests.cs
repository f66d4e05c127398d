using Azure.Messaging.ServiceBus;
using Moq;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Operations;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Webhooks.Tests.Operations;

/// <summary>
/// <c>status</c> of a delivery accepted but not routed yet, on the Service Bus transport: the only record is the
/// <c>events</c> message, which a peek reads without changing anything. Service Bus cannot run here: the client and
/// receiver are Moq's (their members are virtual), the messages <see cref="ServiceBusModelFactory"/>'s with the bodies
/// ingest really sends. Before, status on Service Bus did not look at the queue at all ("nothing is known").
/// </summary>
public sealed class AcceptedDeliveriesServiceBusTests
{
    private readonly Mock<ServiceBusClient> _client = new();
    private readonly Mock<ServiceBusReceiver> _receiver = new();

    public AcceptedDeliveriesServiceBusTests() =>
        _client.Setup(c => c.CreateReceiver(QueueNames.Events)).Returns(_receiver.Object);

    [Fact]
    public async Task PeekedEventsMessages_OfTheCall_AreItsAcceptedNotRoutedDeliveries()
    {
        var callId = Guid.NewGuid().ToString("D");
        var receivedAt = new DateTimeOffset(2026, 12, 7, 3, 30, 0, TimeSpan.Zero);
        _receiver.Setup(r => r.PeekMessagesAsync(AcceptedDeliveries.PeekLimit, null, It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            Received(Event("evt_other", Guid.NewGuid().ToString("D"), receivedAt), 1),
            Received(BinaryData.FromString("not an event message"), 2),
            Received(Event("evt_ours", callId, receivedAt), 3),
        ]);

        var (byCall, unseen) = await AcceptedDeliveries.FindAsync(_client.Object, callId, CancellationToken.None);
        var (byEvent, _) = await AcceptedDeliveries.FindAsync(_client.Object, "evt_ours", CancellationToken.None);

        var delivery = Assert.Single(byCall);
        Assert.Equal(new DeliveryRecord("evt_ours", "call.completed", callId, 1, "msg_1", receivedAt, Duplicate: false, Routed: false), delivery);
        Assert.Equal(delivery, Assert.Single(byEvent));
        Assert.Equal(0, unseen);
        _receiver.Verify(r => r.ReceiveMessagesAsync(It.IsAny<int>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()), Times.Never);
        _receiver.Verify(r => r.DisposeAsync(), Times.Exactly(2));
    }

    [Fact]
    public async Task NoEventsQueue_IsNothingAccepted()
    {
        _receiver.Setup(r => r.PeekMessagesAsync(It.IsAny<int>(), It.IsAny<long?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("no such entity", ServiceBusFailureReason.MessagingEntityNotFound));

        var (deliveries, unseen) = await AcceptedDeliveries.FindAsync(_client.Object, "evt_1", CancellationToken.None);

        Assert.Empty(deliveries);
        Assert.Equal(0, unseen);
    }

    private static BinaryData Event(string eventId, string callId, DateTimeOffset receivedAt) =>
        EventMessageCodec.Encode(new EventMessage(eventId, "call.completed", callId, 1, "msg_1", receivedAt, null, null, "{}"u8.ToArray()));

    private static ServiceBusReceivedMessage Received(BinaryData body, long sequenceNumber) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(body: body, messageId: $"m-{sequenceNumber}", sequenceNumber: sequenceNumber);
}
