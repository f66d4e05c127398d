using Microsoft.Extensions.Logging.Abstractions;
using SimpleAi.Webhooks.PreCall;
using Azure.Storage.Blobs;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.Routing;
using SimpleAi.Webhooks.Storage;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Lifecycle;

/// <summary>
/// Finds everything one call left, by key (never a scan), and deletes it. Where each piece is found:
/// <list type="bullet">
/// <item><c>deliveries</c>: the call's partition (its events, duplicates' traces, references to further completions); each
/// <c>call.completed</c>'s own partition, named by the run (<c>EventId</c>) and by the references;</item>
/// <item><c>runs</c>: the call's run (a point read) and its keyword-trigger runs (a PartitionKey range
/// <c>{call id}:trigger:</c>…);</item>
/// <item><c>transcripts</c>, <c>calls</c>: the call's partition and row;</item>
/// <item>blobs: <c>run-data/{run id, ':' as '_'}/…</c> (one prefix listing covers the run and its trigger runs),
/// <c>call-snapshots/{call id}.json</c>, <c>event-bodies/{event id}/…</c> for each of its events;</item>
/// <item><c>callindex</c>: the rows the caller found the call by (given), plus its rows in the hour after (a call that
/// started seconds before an hour ended).</item>
/// </list>
/// Deleting goes blobs first (event bodies are found from the delivery rows), then rows in <see cref="CallFootprint.Rows"/>'s
/// order: transcripts, trigger runs, completion partitions (found from the run and the references), the run, the call's
/// deliveries partition (references last), the call row, the index rows (what the sweep and erasure find the call by) last.
/// Every piece is deleted before what it is found from, so a purge killed at any request is finished by running it again.
/// Deletes are entity group transactions of up to 100 rows per partition.
/// </summary>
public class CallPurger(TableServiceClient tables, BlobServiceClient blobs)
{
    private static readonly string[] Keys = ["PartitionKey", "RowKey"];

    public virtual async Task<CallFootprint> FindAsync(string callId, IReadOnlyCollection<StoredRow> indexRows, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        ArgumentNullException.ThrowIfNull(indexRows);
        var deliveries = tables.GetTableClient(TableNames.Deliveries);
        var runs = tables.GetTableClient(TableNames.Runs);
        var rows = new List<StoredRow>();

        var callDeliveries = await QueryAsync(deliveries, $"PartitionKey eq '{Escape(callId)}'", ["PartitionKey", "RowKey", "EventId"], cancellationToken);
        var run = await runs.FindAsync<TableEntity>(callId, RunStore.RowKeyOf(callId), cancellationToken);
        var triggerPrefix = callId + ":trigger:";
        var triggerRuns = await QueryAsync(
            runs, TableClient.CreateQueryFilter($"PartitionKey ge {triggerPrefix} and PartitionKey lt {CallIndex.PrefixEnd(triggerPrefix)}"), Keys, cancellationToken);
        var completions = callDeliveries.Where(r => r.RowKey.StartsWith(DeliveryLedger.CompletionReferencePrefix, StringComparison.Ordinal))
            .Select(r => r.GetString("EventId"))
            .Append(run?.GetString("EventId"))
            .OfType<string>()
            .Where(e => e != callId)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var completionRows = new List<TableEntity>();
        foreach (var eventId in completions)
        {
            completionRows.AddRange(await QueryAsync(deliveries, TableClient.CreateQueryFilter($"PartitionKey eq {eventId}"), Keys, cancellationToken));
        }

        var transcripts = await QueryAsync(tables.GetTableClient(TableNames.Transcripts), TableClient.CreateQueryFilter($"PartitionKey eq {callId}"), Keys, cancellationToken);
        var callRow = await tables.GetTableClient(TableNames.Calls).FindAsync<TableEntity>(callId, CallRecords.RowKeyOf(callId), cancellationToken);

        rows.AddRange(transcripts.Select(r => new StoredRow(TableNames.Transcripts, r.PartitionKey, r.RowKey)));
        rows.AddRange(triggerRuns.Select(r => new StoredRow(TableNames.Runs, r.PartitionKey, r.RowKey)));
        rows.AddRange(completionRows.Select(r => new StoredRow(TableNames.Deliveries, r.PartitionKey, r.RowKey)));
        if (await PreCallRowAsync(run, cancellationToken) is { } preCall)
        {
            // Before the run, whose data finds it.
            rows.Add(preCall);
        }

        if (run is not null)
        {
            rows.Add(new StoredRow(TableNames.Runs, run.PartitionKey, run.RowKey));
        }

        rows.AddRange(callDeliveries.OrderBy(r => r.RowKey, StringComparer.Ordinal).Select(r => new StoredRow(TableNames.Deliveries, r.PartitionKey, r.RowKey)));
        if (callRow is not null)
        {
            rows.Add(new StoredRow(TableNames.Calls, callRow.PartitionKey, callRow.RowKey));
        }

        rows.AddRange(indexRows);

        var eventIds = callDeliveries.Concat(completionRows)
            .Where(r => !r.RowKey.StartsWith(DeliveryLedger.CompletionReferencePrefix, StringComparison.Ordinal))
            .Select(r => r.RowKey.Split(DeliveryLedger.DuplicateSeparator)[0])
            .Distinct(StringComparer.Ordinal);
        var found = new List<StoredBlob>();
        foreach (var eventId in eventIds)
        {
            found.AddRange(await ListAsync(EventBodyStore.Container, eventId + "/", cancellationToken));
        }

        found.AddRange(await ListAsync(CallSnapshotStore.Container, callId + ".json", cancellationToken));
        found.AddRange((await ListAsync(RunStore.DataContainer, callId, cancellationToken))
            .Where(b => b.Name.StartsWith(callId + "/", StringComparison.Ordinal) || b.Name.StartsWith(callId + "_trigger_", StringComparison.Ordinal)));
        return new CallFootprint(callId, found, rows);
    }

    /// <summary>
    /// The pre-call answer the call was given, found as <c>status</c> finds it (the number and start in the run's data,
    /// see <see cref="PreCallRecordStore.FindForCallAsync"/>); null without a fetched run or an answer. Answers to no
    /// fetched call go with their hour (<see cref="HourTables"/>) or the caller's erasure.
    /// </summary>
    private async Task<StoredRow?> PreCallRowAsync(TableEntity? run, CancellationToken cancellationToken)
    {
        if (run?.GetString("Data") is not { } json
            || JsonSerializer.Deserialize<Dictionary<string, string>>(json) is not { } data
            || await new PreCallRecordStore(tables, NullLogger<PreCallRecordStore>.Instance).FindForCallAsync(data, cancellationToken) is not { } answer)
        {
            return null;
        }

        return new StoredRow(TableNames.PreCalls, PreCallRecordStore.PartitionOf(answer.AnsweredAt), PreCallRecordStore.RowKeyOf(answer.Caller, answer.AnsweredAt));
    }

    /// <summary>Deletes the footprint: blobs, then rows in order, a transaction per partition run of up to 100 rows.</summary>
    public virtual async Task DeleteAsync(CallFootprint footprint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(footprint);
        foreach (var blob in footprint.Blobs)
        {
            await blobs.GetBlobContainerClient(blob.Container).GetBlobClient(blob.Name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }

        await DeleteRowsAsync(footprint.Rows, cancellationToken);
    }

    /// <summary>
    /// Deletes rows in the given order, consecutive rows of one table and partition together in entity group transactions
    /// (up to <see cref="CallIndex.BatchLimit"/>). A transaction that meets a row already gone (a delete whose answer was
    /// lost, another deleter) fails as a whole: its rows are then deleted one by one, a missing one skipped.
    /// </summary>
    public virtual async Task DeleteRowsAsync(IEnumerable<StoredRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var run in Runs(rows))
        {
            var table = tables.GetTableClient(run[0].Table);
            foreach (var chunk in run.Chunk(CallIndex.BatchLimit))
            {
                try
                {
                    await table.SubmitTransactionAsync(
                        chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(r.PartitionKey, r.RowKey), ETag.All)),
                        cancellationToken);
                }
                catch (TableTransactionFailedException e) when (e.Status == 404)
                {
                    foreach (var row in chunk)
                    {
                        await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
                    }
                }
            }
        }
    }

    /// <summary>Consecutive rows of one table and partition, in order, without repeats.</summary>
    private static IEnumerable<List<StoredRow>> Runs(IEnumerable<StoredRow> rows)
    {
        var current = new List<StoredRow>();
        var seen = new HashSet<StoredRow>();
        foreach (var row in rows)
        {
            if (!seen.Add(row))
            {
                continue;
            }

            if (current.Count > 0 && (current[0].Table != row.Table || current[0].PartitionKey != row.PartitionKey))
            {
                yield return current;
                current = [];
            }

            current.Add(row);
        }

        if (current.Count > 0)
        {
            yield return current;
        }
    }

    private async Task<List<StoredBlob>> ListAsync(string container, string prefix, CancellationToken cancellationToken)
    {
        var found = new List<StoredBlob>();
        await foreach (var blob in blobs.GetBlobContainerClient(container).GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, cancellationToken))
        {
            found.Add(new StoredBlob(container, blob.Name));
        }

        return found;
    }

    private static async Task<List<TableEntity>> QueryAsync(TableClient table, string filter, string[] select, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static string Escape(string value) => value.Replace("'", "''", StringComparison.Ordinal);
}
