using Azure.Storage.Blobs;
using SimpleAi.Webhooks.Routing;
using SimpleAi.Webhooks.Storage;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// What happened to one call, from the tables: its deliveries (duplicates included) and its run (see
/// <see cref="DeliveryLedger"/> for where deliveries are kept). By call id or by the id of a <c>call.completed</c> it
/// reads by key only: the call's deliveries partition, each of its completions' partitions and a point read of its run.
/// By the id of another event (a transcript update, a <c>call.started</c>) it first finds the event's row by RowKey
/// alone, which Table Storage answers by scanning the table: the one read here that is not by key, made only when a
/// person asks for such an event.
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

    /// <summary>Finds by call id, or by event id (its row names its call).</summary>
    public static async Task<CallTimeline?> FindAsync(TableServiceClient tables, BlobServiceClient blobs, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentException.ThrowIfNullOrEmpty(id);
        var deliveries = tables.GetTableClient(TableNames.Deliveries);
        var runs = new RunStore(tables, blobs);
        var byId = await QueryAsync(deliveries, TableClient.CreateQueryFilter($"PartitionKey eq {id}"), cancellationToken);
        var callPartition = byId.Count > 0 && byId.All(r => r.GetString("CallId") == id);
        var run = byId.Count == 0 || callPartition ? await FindRunAsync(runs, id, cancellationToken) : null;
        if (byId.Count == 0 && run is null)
        {
            byId = await QueryAsync(
                deliveries, TableClient.CreateQueryFilter($"RowKey ge {DeliveryLedger.RowKeyOf(id)} and RowKey lt {DeliveryLedger.RangeEnd(id)}"), cancellationToken);
        }

        var callId = byId.Count == 0 ? id : byId.Select(r => r.GetString("CallId")).FirstOrDefault(c => c is not null);
        if (callId is null)
        {
            // An event that names no call.
            return new CallTimeline(null, byId.Select(Record).ToList(), null);
        }

        var rows = callPartition || (byId.Count == 0 && run is not null)
            ? byId
            : await QueryAsync(deliveries, TableClient.CreateQueryFilter($"PartitionKey eq {callId}"), cancellationToken);
        run ??= callId == id ? null : await FindRunAsync(runs, callId, cancellationToken);
        var completions = rows.Where(r => r.RowKey.StartsWith(DeliveryLedger.CompletionReferencePrefix, StringComparison.Ordinal))
            .Select(r => r.GetString("EventId"))
            .Append(run?.EventId)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);
        var records = rows.Where(r => !r.RowKey.StartsWith(DeliveryLedger.CompletionReferencePrefix, StringComparison.Ordinal)).Select(Record).ToList();
        foreach (var eventId in completions)
        {
            var own = byId.Any(r => r.PartitionKey == eventId)
                ? byId
                : await QueryAsync(deliveries, TableClient.CreateQueryFilter($"PartitionKey eq {eventId}"), cancellationToken);
            records.AddRange(own.Where(r => r.PartitionKey == eventId).Select(Record));
        }

        return records.Count == 0 && run is null
            ? null
            : new CallTimeline(callId, records.OrderBy(d => d.ReceivedAt).ToList(), run);
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

    private static DeliveryRecord Record(TableEntity entity) => new(
        entity.RowKey.Split(DeliveryLedger.DuplicateSeparator)[0],
        entity.GetString("EventType"),
        entity.GetString("CallId"),
        entity.GetInt32("Attempt"),
        entity.GetString("WebhookId"),
        entity.GetDateTimeOffset("ReceivedAt"),
        DeliveryLedger.IsDuplicate(entity));

    private static async Task<List<TableEntity>> QueryAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                rows.Add(entity);
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // No table yet: nothing was ever delivered.
        }

        return rows;
    }
}
