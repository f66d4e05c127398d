using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Routing;

/// <summary>
/// Records each delivery once, keyed by <c>event_id</c>, with insert-if-absent (never check-then-insert):
/// the row is the record of the event, and a 409 says it was seen before.
/// </summary>
public class DeliveryLedger(TableServiceClient tables)
{
    /// <summary>
    /// The delivery row's RowKey: the event id, like its PartitionKey, so a point read finds it by a selective key
    /// (Azurite looks an entity up by RowKey first; a constant RowKey made every read scan the table). Duplicates
    /// sort right after it in the same partition: <c>{event id}|duplicate:{queue message id}</c>.
    /// </summary>
    public static string RowKeyOf(string eventId) => eventId;

    /// <summary>The RowKey of the trace a duplicate leaves (see <see cref="RecordDuplicateAsync"/>).</summary>
    public static string DuplicateRowKeyOf(string eventId, string queueMessageId) => eventId + DuplicateSeparator + queueMessageId;

    /// <summary>True for a duplicate's trace, false for the delivery row.</summary>
    public static bool IsDuplicate(ITableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.RowKey != entity.PartitionKey;
    }

    /// <summary>Between a duplicate's event id and its queue message id; sorts after every character of an event id
    /// the ingest accepts, and <see cref="RangeEnd"/> right after it bounds one event's rows.</summary>
    public const string DuplicateSeparator = "|duplicate:";

    /// <summary>The first RowKey after an event's rows: <c>RowKey ge {event id} and RowKey lt {event id}~</c>.</summary>
    public static string RangeEnd(string eventId) => eventId + "~";

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
        var entity = Entity(message, RowKeyOf(message.EventId));
        entity[RecordedBy] = queueMessageId;
        if (await table.TryAddAsync(entity, cancellationToken))
        {
            return true;
        }

        var existing = await table.GetEntityIfExistsAsync<TableEntity>(message.EventId, RowKeyOf(message.EventId), [RecordedBy], cancellationToken);
        return existing.HasValue && existing.Value!.GetString(RecordedBy) == queueMessageId;
    }

    /// <summary>
    /// Keeps a trace of a duplicate (for <c>simpleai-webhooks status</c>) in the event's partition, once per queue
    /// message: <c>RowKey = {event id}|duplicate:{queue message id}</c>.
    /// </summary>
    public virtual Task RecordDuplicateAsync(EventMessage message, string queueMessageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return tables.GetTableClient(TableNames.Deliveries).TryAddAsync(Entity(message, DuplicateRowKeyOf(message.EventId, queueMessageId)), cancellationToken);
    }

    private static TableEntity Entity(EventMessage message, string rowKey) => new(message.EventId, rowKey)
    {
        ["EventType"] = message.EventType,
        ["CallId"] = message.CallId,
        ["Attempt"] = message.Attempt,
        ["WebhookId"] = message.WebhookId,
        ["ReceivedAt"] = message.ReceivedAt,
    };
}
