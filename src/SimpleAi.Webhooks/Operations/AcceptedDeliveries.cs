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
            var found = new List<DeliveryRecord>();
            foreach (var message in peeked)
            {
                if (EventMessageCodec.TryDecode(message.Body.ToArray(), out var delivery, out _) && (delivery.EventId == id || delivery.CallId == id))
                {
                    found.Add(new DeliveryRecord(
                        delivery.EventId, delivery.EventType, delivery.CallId, delivery.Attempt, delivery.WebhookId, delivery.ReceivedAt, Duplicate: false, Routed: false));
                }
            }

            return (found, Math.Max(0, waiting - peeked.Length));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return ([], 0);
        }
    }
}
