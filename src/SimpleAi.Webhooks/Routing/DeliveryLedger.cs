using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Routing;

/// <summary>
/// Records each delivery once, keyed by <c>event_id</c>, with insert-if-absent (never check-then-insert):
/// the row is the record of the event, and a 409 says it was seen before. RowKey = event id; the partition:
/// <list type="bullet">
/// <item>a <c>call.completed</c>: its own (PartitionKey = event id), so <c>status evt_…</c> finds the event a run
/// started from by key, and the run names it (<c>EventId</c>);</item>
/// <item>any other event of a call (<c>call.started</c>, transcript updates, types the app does not know): its call's
/// (PartitionKey = call id), so the call's page, retention and erasure find them with one partition query;</item>
/// <item>an event that names no call: its own.</item>
/// </list>
/// A second <c>call.completed</c> of a call under another event id leaves a reference in the call's partition
/// (<see cref="RecordCompletionReferenceAsync"/>), so every row of a call is reachable from the call.
/// </summary>
public class DeliveryLedger(TableServiceClient tables)
{
    /// <summary>The partition of an event's rows (see the class).</summary>
    public static string PartitionKeyOf(EventMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return string.IsNullOrEmpty(message.CallId) || message.EventType == EventTypes.CallCompleted ? message.EventId : message.CallId;
    }

    /// <summary>The RowKey, in the call's partition, of the reference to a <c>call.completed</c> event.</summary>
    public static string CompletionReferenceRowKeyOf(string eventId) => CompletionReferencePrefix + eventId;

    /// <summary>Sorts after every event id (event ids start with a letter or digit).</summary>
    public const string CompletionReferencePrefix = "~completed|";

    /// <summary>
    /// The delivery row's RowKey: the event id. Duplicates sort right after it in the same partition:
    /// <c>{event id}|duplicate:{queue message id}</c>.
    /// </summary>
    public static string RowKeyOf(string eventId) => eventId;

    /// <summary>The RowKey of the trace a duplicate leaves (see <see cref="RecordDuplicateAsync"/>).</summary>
    public static string DuplicateRowKeyOf(string eventId, string queueMessageId) => eventId + DuplicateSeparator + queueMessageId;

    /// <summary>True for a duplicate's trace, false for the delivery row.</summary>
    public static bool IsDuplicate(ITableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.RowKey.Contains(DuplicateSeparator, StringComparison.Ordinal);
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

        var existing = await table.GetEntityIfExistsAsync<TableEntity>(
            PartitionKeyOf(message), RowKeyOf(message.EventId), [RecordedBy], cancellationToken);
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

    /// <summary>
    /// A <c>call.completed</c> of a call whose run started from another event: a row in the call's partition naming it
    /// (<c>RowKey = ~completed|{event id}</c>), so the call's rows lead to the event's own partition. Written once per
    /// such event (an upsert); a call has at most a few.
    /// </summary>
    public virtual Task RecordCompletionReferenceAsync(EventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return tables.GetTableClient(TableNames.Deliveries).UpsertEntityAsync(
            new TableEntity(message.CallId, CompletionReferenceRowKeyOf(message.EventId)) { ["EventId"] = message.EventId, ["CallId"] = message.CallId },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    private static TableEntity Entity(EventMessage message, string rowKey) => new(PartitionKeyOf(message), rowKey)
    {
        ["EventType"] = message.EventType,
        ["CallId"] = message.CallId,
        ["Attempt"] = message.Attempt,
        ["WebhookId"] = message.WebhookId,
        ["ReceivedAt"] = message.ReceivedAt,
    };
}
