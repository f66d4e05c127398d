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

    private const string RecordedBy = "RecordedBy";

    /// <summary>
    /// Records the event for the queue message carrying it. A 409 is not always a duplicate: when the answer to the
    /// insert is lost (a timeout) the SDK sends it again and meets the row it just wrote, and a redelivery of the same
    /// queue message after a crash meets its own row too; the row's <c>RecordedBy</c> tells those apart.
    /// </summary>
    /// <param name="queueMessageId">The id of the <c>events</c> queue message, the same on every redelivery.</param>
    /// <returns>True when this queue message recorded the event (now or on an earlier try), false for a duplicate.</returns>
    public virtual async Task<bool> TryRecordAsync(EventMessage message, string queueMessageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var table = tables.GetTableClient(TableNames.Deliveries);
        var entity = Entity(message, RowKey);
        entity[RecordedBy] = queueMessageId;
        if (await table.TryAddAsync(entity, cancellationToken))
        {
            return true;
        }

        var existing = await table.GetEntityIfExistsAsync<TableEntity>(message.EventId, RowKey, [RecordedBy], cancellationToken);
        return existing.HasValue && existing.Value!.GetString(RecordedBy) == queueMessageId;
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
