using Azure.Messaging.ServiceBus;
using Azure.Storage.Queues;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// The deliveries the app accepted (answered 202) but has not routed yet: nothing is recorded in a table until the
/// router takes the <c>events</c> message, so between the 202 and that moment the message itself is the only record.
/// One peek (no receive, nothing changes) reads the first <see cref="PeekLimit"/> visible messages; a message being
/// routed or waiting for a retry is invisible and not seen, which <see cref="Waiting"/> tells apart.
/// </summary>
public static class AcceptedDeliveries
{
    /// <summary>The most messages one peek returns (the Storage Queues limit).</summary>
    public const int PeekLimit = 32;

    /// <summary>The peeked deliveries of <paramref name="id"/> (an event id or a call id), and how many messages the queue holds that the peek did not show.</summary>
    public static async Task<(IReadOnlyList<DeliveryRecord> Deliveries, int Unseen)> FindAsync(QueueServiceClient queues, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var queue = queues.GetQueueClient(QueueNames.Events);
        try
        {
            var peeked = (await queue.PeekMessagesAsync(PeekLimit, cancellationToken)).Value;
            var waiting = (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
            return (Matching(peeked.Select(m => m.Body), id), Math.Max(0, waiting - peeked.Length));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return ([], 0);
        }
    }

    /// <summary>
    /// The same on the Service Bus <c>events</c> queue: one peek of its first <see cref="PeekLimit"/> messages. A Service
    /// Bus peek sees locked messages too (one being routed), so only messages past the limit go unseen; they are not
    /// counted (the queue's count needs the Manage right, which an operator's identity need not have).
    /// </summary>
    public static async Task<(IReadOnlyList<DeliveryRecord> Deliveries, int Unseen)> FindAsync(ServiceBusClient client, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await using var receiver = client.CreateReceiver(QueueNames.Events);
        try
        {
            var peeked = await receiver.PeekMessagesAsync(PeekLimit, cancellationToken: cancellationToken);
            return (Matching(peeked.Select(m => m.Body), id), 0);
        }
        catch (ServiceBusException e) when (e.Reason == ServiceBusFailureReason.MessagingEntityNotFound)
        {
            return ([], 0);
        }
    }

    /// <summary>The queued deliveries whose event id or call id is <paramref name="id"/>; bodies that are not event messages are passed over.</summary>
    private static List<DeliveryRecord> Matching(IEnumerable<BinaryData> bodies, string id)
    {
        var found = new List<DeliveryRecord>();
        foreach (var body in bodies)
        {
            if (EventMessageCodec.TryDecode(body.ToArray(), out var delivery, out _) && (delivery.EventId == id || delivery.CallId == id))
            {
                found.Add(new DeliveryRecord(
                    delivery.EventId, delivery.EventType, delivery.CallId, delivery.Attempt, delivery.WebhookId, delivery.ReceivedAt, Duplicate: false, Routed: false));
            }
        }

        return found;
    }
}

/// <summary>
/// One delivery as the router recorded it; <see cref="Duplicate"/> for a repeat of an event id. A delivery the app
/// accepted (answered 202) but has not routed yet is not <see cref="Routed"/>: it is read from the <c>events</c> queue.
/// </summary>
public sealed record DeliveryRecord(
    string EventId, string? EventType, string? CallId, int? Attempt, string? WebhookId, DateTimeOffset? ReceivedAt, bool Duplicate, bool Routed = true);
