using Azure.Storage.Blobs;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Routing;
using SimpleAi.Webhooks.Storage;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// What happened to one call, from the tables: its deliveries (duplicates included) and its run. Reads only by
/// selective keys: point reads of the run and the call row, and one RowKey range per event (the delivery row and the
/// traces of its duplicates); never a scan of a table or a partition.
/// </summary>
public sealed record CallTimeline(string? CallId, IReadOnlyList<DeliveryRecord> Deliveries, WorkflowRun? Run)
{
    /// <summary>
    /// The timeline with the deliveries of <paramref name="accepted"/> (accepted, not routed yet: see
    /// <see cref="AcceptedDeliveries"/>) added; a timeline of only those when the tables know nothing yet.
    /// </summary>
    public static CallTimeline? With(CallTimeline? recorded, IReadOnlyList<DeliveryRecord> accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        if (accepted.Count == 0)
        {
            return recorded;
        }

        var callId = recorded?.CallId ?? accepted.FirstOrDefault(d => d.CallId is not null)?.CallId;
        return new CallTimeline(callId, [.. (recorded?.Deliveries ?? []).Concat(accepted).OrderBy(d => d.ReceivedAt)], recorded?.Run);
    }

    /// <summary>
    /// Finds by event id (its delivery's call then gives the run), or by call id. A call's deliveries are those of the
    /// events its rows name: the event that started its run and its <c>call.started</c> event, with their duplicates.
    /// </summary>
    public static async Task<CallTimeline?> FindAsync(TableServiceClient tables, BlobServiceClient blobs, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentException.ThrowIfNullOrEmpty(id);
        var deliveries = tables.GetTableClient(TableNames.Deliveries);
        var byEvent = await EventAsync(deliveries, id, cancellationToken);
        var callId = byEvent.FirstOrDefault(d => d.CallId is not null)?.CallId ?? (byEvent.Count == 0 ? id : null);
        if (callId is null)
        {
            return new CallTimeline(null, byEvent, null);
        }

        var run = await FindRunAsync(new RunStore(tables, blobs), callId, cancellationToken);
        var started = await StartedEventIdAsync(tables, callId, cancellationToken);
        var records = new List<DeliveryRecord>(byEvent);
        foreach (var eventId in new[] { run?.EventId, started }.OfType<string>().Distinct(StringComparer.Ordinal).Where(e => e != id))
        {
            records.AddRange(await EventAsync(deliveries, eventId, cancellationToken));
        }

        return records.Count == 0 && run is null
            ? null
            : new CallTimeline(callId, records.OrderBy(d => d.ReceivedAt).ToList(), run);
    }

    /// <summary>The event's delivery row and its duplicates' traces: one RowKey range in the event's partition.</summary>
    private static Task<List<DeliveryRecord>> EventAsync(TableClient deliveries, string eventId, CancellationToken cancellationToken) =>
        Query(
            deliveries,
            TableClient.CreateQueryFilter(
                $"PartitionKey eq {eventId} and RowKey ge {DeliveryLedger.RowKeyOf(eventId)} and RowKey lt {DeliveryLedger.RangeEnd(eventId)}"),
            cancellationToken);

    private static async Task<string?> StartedEventIdAsync(TableServiceClient tables, string callId, CancellationToken cancellationToken)
    {
        try
        {
            var row = await tables.GetTableClient(TableNames.Calls).FindAsync<TableEntity>(callId, CallRecords.RowKeyOf(callId), cancellationToken);
            return row?.GetString("StartedEventId");
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static async Task<WorkflowRun?> FindRunAsync(RunStore runs, string callId, CancellationToken cancellationToken)
    {
        try
        {
            return await runs.FindAsync(callId, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static async Task<List<DeliveryRecord>> Query(TableClient table, string filter, CancellationToken cancellationToken)
    {
        var records = new List<DeliveryRecord>();
        try
        {
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                records.Add(new DeliveryRecord(
                    entity.PartitionKey,
                    entity.GetString("EventType"),
                    entity.GetString("CallId"),
                    entity.GetInt32("Attempt"),
                    entity.GetString("WebhookId"),
                    entity.GetDateTimeOffset("ReceivedAt"),
                    DeliveryLedger.IsDuplicate(entity)));
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // No table yet: nothing was ever delivered.
        }

        return records;
    }
}
