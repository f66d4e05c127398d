using Azure;
using Azure.Data.Tables;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Transcripts;

/// <summary>
/// Table <c>transcripts</c>, partition = call id: one row per line keyed by its zero-padded index (re-storing a line
/// is an idempotent upsert), and a <c>state</c> row for fetch coalescing (ETag-guarded).
/// </summary>
public class TranscriptStore(TableServiceClient tables)
{
    public const string StateRowKey = "state";
    private const string LinePrefix = "line-";

    private TableClient Table => tables.GetTableClient(TableNames.Transcripts);

    public virtual async Task<(TranscriptState State, ETag ETag)?> FindStateAsync(string callId, CancellationToken cancellationToken)
    {
        var entity = await FindAsync(callId, StateRowKey, cancellationToken);
        return entity is null
            ? null
            : (new TranscriptState(
                entity.GetDateTimeOffset("LastFetchStartedAt"),
                entity.GetDateTimeOffset("ScheduledFor"),
                entity.GetInt32("LineCount") ?? 0,
                entity.GetString("Token"),
                entity.GetString("ScheduledBy")), entity.ETag);
    }

    /// <summary>Writes the state if unchanged since <paramref name="etag"/> (or absent when default); false if another writer won.</summary>
    public virtual async Task<bool> TrySaveStateAsync(string callId, TranscriptState state, ETag etag, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(callId, StateRowKey)
        {
            ["LastFetchStartedAt"] = state.LastFetchStartedAt,
            ["ScheduledFor"] = state.ScheduledFor,
            ["LineCount"] = state.LineCount,
            ["Token"] = state.Token,
            ["ScheduledBy"] = state.ScheduledBy,
        };
        try
        {
            if (etag == default)
            {
                return await Table.TryAddAsync(entity, cancellationToken);
            }

            await Table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 409)
        {
            return false;
        }
    }

    /// <summary>Upserts lines in batches of 100 (one partition, so each batch is one transaction).</summary>
    public virtual async Task SaveLinesAsync(string callId, IReadOnlyList<TranscriptLineRecord> lines, CancellationToken cancellationToken)
    {
        foreach (var chunk in lines.Chunk(100))
        {
            var actions = chunk.Select(line => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(callId, LinePrefix + line.Index.ToString("D6", System.Globalization.CultureInfo.InvariantCulture))
            {
                ["Index"] = line.Index,
                ["Role"] = line.Role,
                ["Text"] = line.Text,
                ["Timestamp"] = line.Timestamp,
            }));
            await Table.SubmitTransactionAsync(actions, cancellationToken);
        }
    }

    /// <summary>The stored lines from index <paramref name="since"/> on, in order; null when nothing is known of the call.</summary>
    public virtual async Task<IReadOnlyList<TranscriptLineRecord>?> ReadLinesAsync(string callId, int since, CancellationToken cancellationToken)
    {
        var lines = new List<TranscriptLineRecord>();
        var sawState = false;
        var from = LinePrefix + since.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {callId}");
            await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                if (entity.RowKey == StateRowKey)
                {
                    sawState = true;
                }
                else if (string.CompareOrdinal(entity.RowKey, from) >= 0)
                {
                    lines.Add(new TranscriptLineRecord(
                        entity.GetInt32("Index") ?? 0, entity.GetString("Role"), entity.GetString("Text"), entity.GetDateTimeOffset("Timestamp")));
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        return sawState || lines.Count > 0 ? lines.OrderBy(l => l.Index).ToList() : null;
    }

    private async Task<TableEntity?> FindAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            return await Table.FindAsync<TableEntity>(partitionKey, rowKey, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}
