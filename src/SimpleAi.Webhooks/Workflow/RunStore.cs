using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Azure.Storage.Blobs;
using SimpleAi.Webhooks.Queues;
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

    /// <summary>
    /// The most characters of steps and data JSON a step message carries as its <see cref="RunSnapshot"/> (a Storage
    /// queue message takes 64 KiB of Base64 text); a larger run is read by the step instead.
    /// </summary>
    public const int MaxSnapshotChars = 16_000;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private TableClient Table => tables.GetTableClient(TableNames.Runs);

    /// <summary>
    /// Inserts the run if no run exists for its id, and takes its version; false when one does (409). The table is
    /// provisioned at start (Bicep, the hosts), never here.
    /// </summary>
    public virtual async Task<bool> TryCreateAsync(WorkflowRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var entity = await ToEntityAsync(run, cancellationToken);
        if (await Table.TryInsertAsync(entity, cancellationToken) is not { } etag)
        {
            return false;
        }

        Took(run, entity, etag);
        return true;
    }

    public virtual async Task<WorkflowRun?> FindAsync(string runId, CancellationToken cancellationToken)
    {
        var entity = await Table.FindAsync<TableEntity>(runId, RowKeyOf(runId), cancellationToken);
        return entity is null ? null : await FromEntityAsync(entity, cancellationToken);
    }

    /// <summary>
    /// The run a step message is about: the version it carries (see <see cref="RunSnapshot"/>), which saves the read
    /// when nothing changed since it was queued, else the stored run (null when it is gone). Only a claim, conditional on
    /// the carried version, acts on a carried run. A message delivered again had a try before, whose claim changed the
    /// run since it was carried: it reads the run rather than make a claim bound to fail (a 412 round trip per retry).
    /// </summary>
    /// <returns>The run, and whether it is the carried version (not yet checked against the stored one).</returns>
    public async Task<(WorkflowRun? Run, bool Carried)> LoadAsync(StepMessage message, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(delivery);
        if (message.Run is { } carried && delivery.DequeueCount <= 1)
        {
            var run = Build(message.RunId, message.CallId, message.EventId, carried.StartedBy, carried.Status, carried.Steps, carried.Data, carried.CreatedAt);
            run.ETag = new ETag(carried.ETag);
            run.Stored = carried;
            return (run, true);
        }

        return (await FindAsync(message.RunId, cancellationToken), false);
    }

    /// <summary>
    /// The message of a step the run has queued (with the token it recorded), carrying the run as last stored or read
    /// when it is small enough (see <see cref="LoadAsync"/>).
    /// </summary>
    public static StepMessage MessageFor(WorkflowRun run, string step, string? traceParent, string? traceState)
    {
        ArgumentNullException.ThrowIfNull(run);
        var token = run.Steps[step].Token ?? throw new InvalidOperationException($"Run {run.RunId} has not queued step {step}.");
        var snapshot = run.Stored is { } stored && stored.ETag == run.ETag.ToString() ? stored : null;
        return new StepMessage(run.RunId, run.CallId, run.EventId, step, token, traceParent, traceState, snapshot);
    }

    /// <summary>Replaces the run if it is unchanged since it was read, and takes the new version.</summary>
    /// <exception cref="RunChangedException">Another writer changed the run first (412), or deleted it (404).</exception>
    public virtual async Task SaveAsync(WorkflowRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var entity = await ToEntityAsync(run, cancellationToken);
        try
        {
            var response = await Table.UpdateEntityAsync(entity, run.ETag, TableUpdateMode.Replace, cancellationToken);
            Took(run, entity, response.Headers.ETag ?? throw new InvalidOperationException("Table Storage returned no ETag."));
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new RunChangedException(run.RunId, e);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The run is gone (purged or erased): a blob this write just made must not outlive it.
            if (entity.GetString("DataBlob") is { } written)
            {
                await blobs.GetBlobContainerClient(DataContainer).GetBlobClient(written).DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            }

            throw new RunChangedException(run.RunId, e);
        }
    }

    /// <summary>As <see cref="SaveAsync"/>, but false when another writer changed the run first (for <see cref="ETagRetry"/>).</summary>
    public async Task<bool> TrySaveAsync(WorkflowRun run, CancellationToken cancellationToken)
    {
        try
        {
            await SaveAsync(run, cancellationToken);
            return true;
        }
        catch (RunChangedException)
        {
            return false;
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
        var run = Build(
            entity.PartitionKey, entity.GetString("CallId"), entity.GetString("EventId"), entity.GetString("StartedBy"), entity.GetString("Status"),
            entity.GetString("Steps") ?? "{}", data, entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue);
        run.DataBlob = blob;
        Took(run, entity, entity.ETag);
        return run;
    }

    private static WorkflowRun Build(
        string runId, string callId, string eventId, string? startedBy, string status, string steps, string data, DateTimeOffset createdAt) => new()
    {
        RunId = runId,
        CallId = callId,
        EventId = eventId,
        StartedBy = startedBy,
        Status = Enum.Parse<RunStatus>(status),
        Data = new Dictionary<string, string>(
            JsonSerializer.Deserialize<Dictionary<string, string>>(data, Json) ?? [],
            StringComparer.Ordinal),
        Steps = new Dictionary<string, StepState>(
            JsonSerializer.Deserialize<Dictionary<string, StepState>>(steps, Json) ?? [],
            StringComparer.Ordinal),
        CreatedAt = createdAt,
    };

    /// <summary>
    /// The run is now the stored version <paramref name="etag"/> of <paramref name="entity"/>: keeps the version, and
    /// the row's content as a <see cref="RunSnapshot"/> when it is small enough for a step message to carry.
    /// </summary>
    private static void Took(WorkflowRun run, TableEntity entity, ETag etag)
    {
        run.ETag = etag;
        var (steps, data) = (entity.GetString("Steps"), entity.GetString("Data"));
        run.Stored = steps is null || data is null || steps.Length + data.Length > MaxSnapshotChars
            ? null
            : new RunSnapshot(etag.ToString(), entity.GetString("Status"), steps, data, entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue, entity.GetString("StartedBy"));
    }
}

/// <summary>A run was changed by another writer between our read and our write: retry from a fresh read.</summary>
public sealed class RunChangedException : Exception
{
    public RunChangedException()
    {
    }

    public RunChangedException(string message)
        : base(message)
    {
    }

    public RunChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RunChangedException(string runId, Azure.RequestFailedException innerException)
        : base($"Run {runId} was changed by another writer.", innerException)
    {
    }
}
