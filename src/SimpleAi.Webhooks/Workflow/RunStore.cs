using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// Runs in Table Storage, one row each (partition = run id). Writes are conditional on the row's ETag, so two
/// writers can never both believe they claimed or completed a step. Members are virtual so tests can inject faults.
/// </summary>
public class RunStore(TableServiceClient tables)
{
    public const string RowKey = "run";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private TableClient Table => tables.GetTableClient(TableNames.Runs);

    /// <summary>Inserts the run if no run exists for its id; false when one does (409).</summary>
    public virtual Task<bool> TryCreateAsync(WorkflowRun run, CancellationToken cancellationToken) =>
        Table.TryAddAsync(ToEntity(run), cancellationToken);

    public virtual async Task<WorkflowRun?> FindAsync(string runId, CancellationToken cancellationToken)
    {
        var entity = await Table.FindAsync<TableEntity>(runId, RowKey, cancellationToken);
        return entity is null ? null : FromEntity(entity);
    }

    /// <summary>Replaces the run if it is unchanged since it was read, and takes the new version.</summary>
    /// <exception cref="RunChangedException">Another writer changed the run first (412).</exception>
    public virtual async Task SaveAsync(WorkflowRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            var response = await Table.UpdateEntityAsync(ToEntity(run), run.ETag, TableUpdateMode.Replace, cancellationToken);
            run.ETag = response.Headers.ETag ?? throw new InvalidOperationException("Table Storage returned no ETag.");
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new RunChangedException(run.RunId, e);
        }
    }

    private static TableEntity ToEntity(WorkflowRun run) => new(run.RunId, RowKey)
    {
        ["CallId"] = run.CallId,
        ["EventId"] = run.EventId,
        ["StartedBy"] = run.StartedBy,
        ["Status"] = run.Status.ToString(),
        ["Data"] = JsonSerializer.Serialize(run.Data, Json),
        ["Steps"] = JsonSerializer.Serialize(run.Steps, Json),
        ["CreatedAt"] = run.CreatedAt,
    };

    private static WorkflowRun FromEntity(TableEntity entity) => new()
    {
        RunId = entity.PartitionKey,
        CallId = entity.GetString("CallId"),
        EventId = entity.GetString("EventId"),
        StartedBy = entity.GetString("StartedBy"),
        Status = Enum.Parse<RunStatus>(entity.GetString("Status")),
        Data = new Dictionary<string, string>(
            JsonSerializer.Deserialize<Dictionary<string, string>>(entity.GetString("Data") ?? "{}", Json) ?? [],
            StringComparer.Ordinal),
        Steps = new Dictionary<string, StepState>(
            JsonSerializer.Deserialize<Dictionary<string, StepState>>(entity.GetString("Steps") ?? "{}", Json) ?? [],
            StringComparer.Ordinal),
        CreatedAt = entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        ETag = entity.ETag,
    };
}
