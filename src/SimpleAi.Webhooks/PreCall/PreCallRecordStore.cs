using System.Collections.Concurrent;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Json;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.PreCall;

/// <summary>
/// The <c>precalls</c> table: one row per pre-call answer. PartitionKey = the UTC hour of the answer
/// (<see cref="PartitionOf"/>, <c>yyyyMMddHH</c>), RowKey = <c>{caller E.164}|{DateTime.MaxValue.Ticks − answeredAt
/// ticks, 19 digits}</c>, so a caller's answers within an hour are one RowKey prefix range
/// (<see cref="RowKeyPrefixOf"/>), newest first, and retention deletes whole hours. Answers are written off the
/// answer's path (<see cref="Record"/>): Simple AI does not wait for the write.
/// </summary>
public partial class PreCallRecordStore(TableServiceClient tables, ILogger<PreCallRecordStore> logger)
{
    /// <summary>The most characters of parameters a row keeps (a table property holds 32K UTF-16 characters).</summary>
    public const int MaxParametersChars = 30_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = MinimalJsonEncoder.Instance,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly ConcurrentDictionary<Task, bool> _writing = new();

    private TableClient Table => tables.GetTableClient(TableNames.PreCalls);

    public static string PartitionOf(DateTimeOffset answeredAt) => answeredAt.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    public static string RowKeyPrefixOf(string e164)
    {
        ArgumentNullException.ThrowIfNull(e164);
        return e164 + "|";
    }

    public static string RowKeyOf(string e164, DateTimeOffset answeredAt) =>
        RowKeyPrefixOf(e164) + (DateTime.MaxValue.Ticks - answeredAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="record"/> in the background; a failure is logged (without data) and the answer stands.</summary>
    public void Record(PreCallRecord record)
    {
        var write = SaveQuietlyAsync(record);
        _writing.TryAdd(write, true);
        _ = write.ContinueWith(done => _writing.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Waits for the records being written (tests, benchmarks and a host that stops).</summary>
    public Task FlushAsync() => Task.WhenAll(_writing.Keys);

    public async Task SaveAsync(PreCallRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entity = new TableEntity(PartitionOf(record.AnsweredAt), RowKeyOf(record.Caller, record.AnsweredAt))
        {
            ["Caller"] = record.Caller,
            ["AnsweredAt"] = record.AnsweredAt,
            ["Milliseconds"] = record.Report.Milliseconds,
            ["Parameters"] = Capped(JsonSerializer.Serialize(record.Parameters, Json)),
            ["Sources"] = JsonSerializer.Serialize(record.Report.Sources, Json),
            ["Rules"] = JsonSerializer.Serialize(record.Report.Rules, Json),
            ["Transform"] = record.Report.Transform,
        };
        foreach (var (name, value) in (ReadOnlySpan<(string, string?)>)[("Direction", record.Direction), ("AgentId", record.AgentId)])
        {
            if (value is not null)
            {
                entity[name] = value;
            }
        }

        try
        {
            await Table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // The same caller answered twice within one tick: the first record stands.
        }
    }

    /// <summary>
    /// The answer given to <paramref name="e164"/> nearest before <paramref name="startedAt"/> (a call starts after its
    /// pre-call answer), no earlier than <paramref name="window"/> before it; null when there is none.
    /// </summary>
    public async Task<PreCallRecord?> FindBeforeAsync(string e164, DateTimeOffset startedAt, TimeSpan window, TimeSpan slack, CancellationToken cancellationToken)
    {
        var latest = startedAt + slack;
        for (var hour = Hour(latest); hour >= Hour(startedAt - window); hour = hour.AddHours(-1))
        {
            // RowKeys sort newest first: from the latest acceptable answer on, the first row is the nearest.
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {PartitionOf(hour)} and RowKey ge {RowKeyOf(e164, latest)} and RowKey le {RowKeyOf(e164, startedAt - window)}");
            try
            {
                await foreach (var entity in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1, cancellationToken: cancellationToken))
                {
                    return Read(entity);
                }
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // An app deployed before the precalls table existed has recorded nothing.
                return null;
            }
        }

        return null;
    }

    /// <summary>How long before a call's start its pre-call answer is looked for.</summary>
    public static readonly TimeSpan CallLinkWindow = TimeSpan.FromMinutes(10);

    /// <summary>How far after the call's start an answer still counts (clocks and the API's rounding differ).</summary>
    public static readonly TimeSpan CallLinkSlack = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The pre-call answer of the call a run fetched (its data: <c>direction</c>, <c>from_number</c>/<c>to_number</c>,
    /// <c>started_at</c>): the latest answer to the customer's number from <see cref="CallLinkWindow"/> before the start
    /// to <see cref="CallLinkSlack"/> after it. Null when the run has not fetched the call or no answer is found.
    /// </summary>
    public Task<PreCallRecord?> FindForCallAsync(IReadOnlyDictionary<string, string> callFacts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callFacts);
        var outbound = string.Equals(callFacts.GetValueOrDefault("direction"), "outbound", StringComparison.OrdinalIgnoreCase);
        var number = PhoneNumbers.ToE164(callFacts.GetValueOrDefault(outbound ? "to_number" : "from_number"));
        return number is null || !DateTimeOffset.TryParse(callFacts.GetValueOrDefault("started_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var startedAt)
            ? Task.FromResult<PreCallRecord?>(null)
            : FindBeforeAsync(number, startedAt, CallLinkWindow, CallLinkSlack, cancellationToken);
    }

    public static PreCallRecord Read(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var parameters = entity.GetString("Parameters") is { } p && p.StartsWith('{')
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(p, Json) ?? []
            : new Dictionary<string, string>();
        return new PreCallRecord(
            entity.GetString("Caller") ?? string.Empty,
            entity.GetString("Direction"),
            entity.GetString("AgentId"),
            entity.GetDateTimeOffset("AnsweredAt") ?? entity.Timestamp ?? DateTimeOffset.MinValue,
            parameters,
            new PreCallReport(
                JsonSerializer.Deserialize<List<SourceOutcome>>(entity.GetString("Sources") ?? "[]", Json) ?? [],
                JsonSerializer.Deserialize<List<RuleOutcome>>(entity.GetString("Rules") ?? "[]", Json) ?? [],
                entity.GetString("Transform") ?? PreCallReport.NoTransform,
                entity.GetDouble("Milliseconds") ?? 0));
    }

    private static DateTimeOffset Hour(DateTimeOffset at) =>
        new(at.UtcDateTime.Year, at.UtcDateTime.Month, at.UtcDateTime.Day, at.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);

    private static string Capped(string json) => json.Length <= MaxParametersChars ? json : "(over 30,000 characters: not kept)";

    private async Task SaveQuietlyAsync(PreCallRecord record)
    {
        try
        {
            await SaveAsync(record, CancellationToken.None);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or HttpRequestException or TimeoutException or OperationCanceledException)
        {
            LogNotRecorded(e.GetType().Name);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Pre-call answer not recorded ({Error}): the answer was given; status will not show it")]
    private partial void LogNotRecorded(string error);
}

/// <summary>
/// One pre-call answer as it was given: to whom (<see cref="Caller"/>, the customer's E.164 number, empty when the
/// request held no usable number), when, the parameters the agent was told, and how they came about. Personal data:
/// it lives in the <c>precalls</c> table under the data lifecycle's retention and erasure, and is never logged.
/// </summary>
public sealed record PreCallRecord(
    string Caller,
    string? Direction,
    string? AgentId,
    DateTimeOffset AnsweredAt,
    IReadOnlyDictionary<string, string> Parameters,
    PreCallReport Report);
