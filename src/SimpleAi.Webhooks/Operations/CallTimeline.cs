using Azure.Data.Tables;
using Azure.Storage.Blobs;
using SimpleAi.Webhooks.Routing;
using SimpleAi.Webhooks.Storage;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Operations;

/// <summary>What happened to one call, from the tables: its deliveries (duplicates included) and its run.</summary>
public sealed record CallTimeline(string? CallId, IReadOnlyList<DeliveryRecord> Deliveries, WorkflowRun? Run)
{
    /// <summary>Finds by call id, or by event id (a delivery's call then gives the run).</summary>
    public static async Task<CallTimeline?> FindAsync(TableServiceClient tables, BlobServiceClient blobs, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var deliveries = tables.GetTableClient(TableNames.Deliveries);
        var runs = new RunStore(tables, blobs);
        var byEvent = await Query(deliveries, TableClient.CreateQueryFilter($"PartitionKey eq {id}"), cancellationToken);
        var callId = byEvent.FirstOrDefault(d => d.CallId is not null)?.CallId ?? (byEvent.Count == 0 ? id : null);
        var records = callId is null
            ? byEvent
            : await Query(deliveries, TableClient.CreateQueryFilter($"CallId eq {callId}"), cancellationToken);
        var run = callId is null ? null : await FindRunAsync(runs, callId, cancellationToken);
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
                    entity.RowKey.StartsWith(DeliveryLedger.DuplicatePrefix, StringComparison.Ordinal)));
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // No table yet: nothing was ever delivered.
        }

        return records;
    }
}
