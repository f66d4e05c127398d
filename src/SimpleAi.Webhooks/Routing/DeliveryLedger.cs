using Azure.Data.Tables;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Routing;

/// <summary>
/// Records each delivery once, keyed by <c>event_id</c>, with insert-if-absent (never check-then-insert):
/// the row is the record of the event, and a 409 says it was seen before.
/// </summary>
public class DeliveryLedger(TableServiceClient tables)
{
    public const string RowKey = "delivery";

    /// <returns>True for the first delivery of this event id, false for a duplicate.</returns>
    public virtual Task<bool> TryRecordAsync(EventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return tables.GetTableClient(TableNames.Deliveries).TryAddAsync(Entity(message, RowKey), cancellationToken);
    }

    /// <summary>
    /// Keeps a trace of a duplicate (for <c>simpleai-webhooks status</c>) in the event's partition, once per queue
    /// message: <c>RowKey = duplicate:&lt;queue message id&gt;</c>.
    /// </summary>
    public virtual Task RecordDuplicateAsync(EventMessage message, string queueMessageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return tables.GetTableClient(TableNames.Deliveries).TryAddAsync(Entity(message, DuplicatePrefix + queueMessageId), cancellationToken);
    }

    private static TableEntity Entity(EventMessage message, string rowKey) => new(message.EventId, rowKey)
    {
        ["EventType"] = message.EventType,
        ["CallId"] = message.CallId,
        ["Attempt"] = message.Attempt,
        ["WebhookId"] = message.WebhookId,
        ["ReceivedAt"] = message.ReceivedAt,
    };

    public const string DuplicatePrefix = "duplicate:";
}
