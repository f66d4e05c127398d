using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Lifecycle;

/// <summary>
/// Deletes every call that started before the retention window (<see cref="RetentionOptions.Days"/>), found through the
/// call index (<c>callindex</c>, a partition per UTC hour), never by scanning a table. A sweep:
/// <list type="number">
/// <item>writes the watermark "calls that started before T are purged, since D" (T = the start of the hour the cutoff
/// falls in), so <c>status</c> says "purged" for any call of those hours from here on, even half-deleted;</item>
/// <item>lists the calls of the index's hours before T (one query);</item>
/// <item>removes their messages from the poison queues (<see cref="PoisonScrubber"/>);</item>
/// <item>takes the oldest hour: purges each call listed there (<see cref="CallPurger"/>, the index rows last), then the
/// hour's remaining rows; and again, until the oldest hour is T or later;</item>
/// <item>empties the hours before T of the other hour tables (<see cref="HourTables"/>);</item>
/// <item>marks the watermark finished.</item>
/// </list>
/// Resumable: a sweep killed at any request leaves every unpurged call listed in the index, and the next sweep starts
/// over from step 1. Its storage requests grow with the calls it deletes: the hours it reads are the ones it deletes.
/// </summary>
public sealed partial class RetentionSweeper(
    TableServiceClient tables,
    CallPurger purger,
    PoisonScrubber poison,
    LifecycleRecords records,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionSweeper> logger)
{
    /// <summary>How many calls of one hour are purged at once.</summary>
    private const int Parallel = 8;

    private TableClient Index => tables.GetTableClient(TableNames.CallIndex);

    public async Task<RetentionSweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var days = options.Value.Days;
        var before = CallIndex.HourOf(CallIndex.PartitionOf(now.AddDays(-days)))!.Value;
        var cutoff = CallIndex.PartitionOf(before);
        var previous = await records.WatermarkAsync(cancellationToken);
        var watermark = new PurgeWatermark(previous is { } p && p.PurgedBefore > before ? p.PurgedBefore : before, now, null, days);
        await records.SaveWatermarkAsync(watermark, cancellationToken);

        var expired = new HashSet<string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey lt {cutoff}");
        await foreach (var row in Index.QueryAsync<TableEntity>(filter, select: ["CallId"], cancellationToken: cancellationToken))
        {
            if (row.GetString("CallId") is { } callId)
            {
                expired.Add(callId);
            }
        }

        var messages = expired.Count == 0 ? 0 : await poison.RemoveAsync(expired, [], cancellationToken);
        int calls = 0, hours = 0;
        while (await OldestHourAsync(cancellationToken) is { } hour && string.CompareOrdinal(hour, cutoff) < 0)
        {
            calls += await PurgeHourAsync(hour, cancellationToken);
            hours++;
        }

        foreach (var hourTable in HourTables.All)
        {
            var rows = new List<StoredRow>();
            await foreach (var row in tables.GetTableClient(hourTable.Table).QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                rows.Add(new StoredRow(hourTable.Table, row.PartitionKey, row.RowKey));
            }

            await purger.DeleteRowsAsync(rows, cancellationToken);
        }

        await records.SaveWatermarkAsync(watermark with { FinishedOn = time.GetUtcNow() }, cancellationToken);
        LogSwept(days, before, calls, hours, messages);
        return new RetentionSweepResult(before, calls, hours, messages);
    }

    /// <summary>Purges every call of the hour (with its rows in the hour after), then the hour's remaining rows.</summary>
    private async Task<int> PurgeHourAsync(string hour, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in Index.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {hour}"), cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        var next = CallIndex.PartitionOf(CallIndex.HourOf(hour)!.Value.AddHours(1));
        var byCall = rows.Where(r => r.GetString("CallId") is not null).GroupBy(r => r.GetString("CallId")!, StringComparer.Ordinal).ToList();
        await System.Threading.Tasks.Parallel.ForEachAsync(
            byCall,
            new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken },
            async (call, token) =>
            {
                var indexRows = call.Select(r => new StoredRow(TableNames.CallIndex, r.PartitionKey, r.RowKey)).ToList();
                indexRows.AddRange(await LaterRowsAsync(call.Key, next, call, token));
                await purger.DeleteAsync(await purger.FindAsync(call.Key, indexRows, token), token);
            });

        // Rows without a call id (none are written) and any left by a call purged meanwhile.
        await purger.DeleteRowsAsync(rows.Select(r => new StoredRow(TableNames.CallIndex, r.PartitionKey, r.RowKey)), cancellationToken);
        return byCall.Count;
    }

    /// <summary>The call's rows in the hour after (its call row and number rows), by point reads.</summary>
    private async Task<IEnumerable<StoredRow>> LaterRowsAsync(string callId, string next, IEnumerable<TableEntity> known, CancellationToken cancellationToken)
    {
        var numbers = known.SelectMany(r => new[] { r.GetString("From"), r.GetString("To") }).OfType<string>().Distinct(StringComparer.Ordinal);
        var found = new List<StoredRow>();
        foreach (var rowKey in numbers.Select(n => CallIndex.NumberRowKeyOf(n, callId)).Prepend(CallIndex.CallRowKeyOf(callId)))
        {
            if (await Index.FindAsync<TableEntity>(next, rowKey, cancellationToken) is not null)
            {
                found.Add(new StoredRow(TableNames.CallIndex, next, rowKey));
            }
        }

        return found;
    }

    private async Task<string?> OldestHourAsync(CancellationToken cancellationToken)
    {
        await foreach (var row in Index.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            return row.PartitionKey;
        }

        return null;
    }

    [LoggerMessage(1, LogLevel.Information, "Retention ({Days} days): purged {Calls} call(s) that started before {Before} ({Hours} hour(s) of the index), {Messages} poison message(s)")]
    private partial void LogSwept(int days, DateTimeOffset before, int calls, int hours, int messages);
}

/// <summary>What one retention sweep deleted: calls that started before <see cref="PurgedBefore"/>.</summary>
public sealed record RetentionSweepResult(DateTimeOffset PurgedBefore, int Calls, int Hours, int PoisonMessages);
