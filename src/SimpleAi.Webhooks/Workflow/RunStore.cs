using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// Runs in Table Storage, one row each (partition and row key = run id). Writes are conditional on the row's ETag, so two
/// writers can never both believe they claimed or completed a step. A row stays far below Table limits whatever
/// the call: data larger than <see cref="MaxInlineDataChars"/> is written to the blob container
/// <see cref="DataContainer"/> first, under a name made from its content (so a write that loses its race never
/// changes the data another version points to), and the row keeps the name. Members are virtual so tests can
/// inject faults.
/// </summary>
public class RunStore(TableServiceClient tables, BlobServiceClient blobs)
{
    /// <summary>The run row's RowKey: the run id, like its PartitionKey (one row per partition, selective on both).</summary>
    public static string RowKeyOf(string runId) => runId;

    /// <summary>Run data that did not fit in its row, one blob per version: <c>{run id}/{sha-256}.json</c>.</summary>
    public const string DataContainer = "run-data";

    /// <summary>
    /// The longest data JSON kept in the row: a Table string property holds at most 32,768 UTF-16 characters
    /// (64 KiB), and the whole row at most 1 MiB.
    /// </summary>
    public const int MaxInlineDataChars = 30_000;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private TableClient Table => tables.GetTableClient(TableNames.Runs);

    /// <summary>Inserts the run if no run exists for its id; false when one does (409).</summary>
    public virtual async Task<bool> TryCreateAsync(WorkflowRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return await Table.TryAddAsync(await ToEntityAsync(run, cancellationToken), cancellationToken);
    }

    public virtual async Task<WorkflowRun?> FindAsync(string runId, CancellationToken cancellationToken)
    {
        var entity = await Table.FindAsync<TableEntity>(runId, RowKeyOf(runId), cancellationToken);
        return entity is null ? null : await FromEntityAsync(entity, cancellationToken);
    }

    /// <summary>Replaces the run if it is unchanged since it was read, and takes the new version.</summary>
    /// <exception cref="RunChangedException">Another writer changed the run first (412).</exception>
    public virtual async Task SaveAsync(WorkflowRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var entity = await ToEntityAsync(run, cancellationToken);
        try
        {
            var response = await Table.UpdateEntityAsync(entity, run.ETag, TableUpdateMode.Replace, cancellationToken);
            run.ETag = response.Headers.ETag ?? throw new InvalidOperationException("Table Storage returned no ETag.");
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new RunChangedException(run.RunId, e);
        }
    }

    private async Task<TableEntity> ToEntityAsync(WorkflowRun run, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.Serialize(run.Data, Json);
        var entity = new TableEntity(run.RunId, RowKeyOf(run.RunId))
        {
            ["CallId"] = run.CallId,
            ["EventId"] = run.EventId,
            ["StartedBy"] = run.StartedBy,
            ["Status"] = run.Status.ToString(),
            ["Steps"] = JsonSerializer.Serialize(run.Steps, Json),
            ["CreatedAt"] = run.CreatedAt,
        };
        if (data.Length <= MaxInlineDataChars)
        {
            entity["Data"] = data;
            run.DataBlob = null;
            return entity;
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(data);
        var name = $"{run.RunId.Replace(':', '_')}/{Convert.ToHexStringLower(SHA256.HashData(bytes))}.json";
        if (run.DataBlob != name)
        {
            // Content-addressed: writing it again is harmless, and no row points to it before this write ends.
            await blobs.GetBlobContainerClient(DataContainer).GetBlobClient(name).UploadAsync(BinaryData.FromBytes(bytes), overwrite: true, cancellationToken);
            run.DataBlob = name;
        }

        entity["DataBlob"] = name;
        return entity;
    }

    private async Task<WorkflowRun> FromEntityAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var blob = entity.GetString("DataBlob");
        var data = blob is null
            ? entity.GetString("Data") ?? "{}"
            : (await blobs.GetBlobContainerClient(DataContainer).GetBlobClient(blob).DownloadContentAsync(cancellationToken)).Value.Content.ToString();
        return new WorkflowRun
        {
            RunId = entity.PartitionKey,
            CallId = entity.GetString("CallId"),
            EventId = entity.GetString("EventId"),
            StartedBy = entity.GetString("StartedBy"),
            Status = Enum.Parse<RunStatus>(entity.GetString("Status")),
            Data = new Dictionary<string, string>(
                JsonSerializer.Deserialize<Dictionary<string, string>>(data, Json) ?? [],
                StringComparer.Ordinal),
            Steps = new Dictionary<string, StepState>(
                JsonSerializer.Deserialize<Dictionary<string, StepState>>(entity.GetString("Steps") ?? "{}", Json) ?? [],
                StringComparer.Ordinal),
            CreatedAt = entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            DataBlob = blob,
            ETag = entity.ETag,
        };
    }
}
