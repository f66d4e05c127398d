using System.Globalization;
using SimpleAi.Webhooks.PreCall;
using SimpleAi.Webhooks.SimpleAiApi;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Calls;

/// <summary>
/// Table <c>callindex</c>: every call by the hour it started, and by its numbers, so the console lists calls by time
/// and finds them by number, and retention finds the calls older than its window, all by key, never by a scan.
/// <list type="bullet">
/// <item>PartitionKey: the UTC hour the call started, <c>yyyyMMddHH</c> (<see cref="PartitionOf"/>); hours sort in time order.</item>
/// <item>The call's row: RowKey <c>t|{call id}</c>, with what is known of the call (when it started and ended, its
/// status, direction and numbers). Rows of an hour are read together and ordered by <see cref="CallIndexEntry.StartedAt"/>.</item>
/// <item>One row per E.164 number of the call: RowKey <c>n|{number}|{call id}</c>, so a number's calls in an hour are
/// one RowKey prefix range.</item>
/// </list>
/// Writes are upserts, so a duplicate, a redelivery and a replay write the same rows again. Each writer puts its rows in
/// the hour it knows: <c>call.started</c> the hour it was received, a read of the call from the API (the first
/// transcript fetch, <c>fetch-call</c>) the hour of the call's <c>started_at</c>. Both are the same hour but for a call
/// that starts seconds before an hour ends: then the call has a row in each of two adjacent hours, which readers merge
/// (<see cref="Merge"/>) and deletes remove together (<see cref="HoursAround"/>).
/// </summary>
public class CallIndex(TableServiceClient tables, TimeProvider time)
{
    private const string CallPrefix = "t|";

    private const string NumberPrefix = "n|";

    /// <summary>The most rows one entity group transaction takes.</summary>
    public const int BatchLimit = 100;

    private TableClient Table => tables.GetTableClient(TableNames.CallIndex);

    /// <summary>The partition of the hour <paramref name="at"/> falls in: <c>yyyyMMddHH</c>, UTC.</summary>
    public static string PartitionOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    /// <summary>The start of the hour a partition names; null for a key that is not an hour.</summary>
    public static DateTimeOffset? HourOf(string partitionKey) =>
        DateTimeOffset.TryParseExact(partitionKey, "yyyyMMddHH", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var hour)
            ? hour
            : null;

    /// <summary>The hour of <paramref name="at"/> and the hours either side: where rows of a call that started then can be.</summary>
    public static IEnumerable<string> HoursAround(DateTimeOffset at) =>
        [PartitionOf(at.AddHours(-1)), PartitionOf(at), PartitionOf(at.AddHours(1))];

    public static string CallRowKeyOf(string callId) => CallPrefix + callId;

    public static string NumberRowKeyOf(string e164, string callId) => NumberPrefixOf(e164) + callId;

    /// <summary>The RowKey prefix of a number's rows in an hour.</summary>
    public static string NumberPrefixOf(string e164) => NumberPrefix + e164 + "|";

    /// <summary>The first RowKey after every key that starts with <paramref name="prefix"/> ('|' + 1 is '}').</summary>
    public static string PrefixEnd(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return prefix[..^1] + (char)(prefix[^1] + 1);
    }

    /// <summary>
    /// <c>call.started</c> was received: the call's row in the hour it arrived, with <c>SeenAt</c> (a later read of the
    /// call from the API adds the rest). One request.
    /// </summary>
    public virtual Task StartedAsync(string callId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        var row = new TableEntity(PartitionOf(receivedAt), CallRowKeyOf(callId)) { ["CallId"] = callId, ["SeenAt"] = receivedAt };
        return Table.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>
    /// The call was read from the API: its row and one row per number, in the hour it started, in one entity group
    /// transaction (one request). Numbers are kept as E.164 (as the pre-call lookup normalises them); a number that is
    /// not one is kept as given on the call's row and gets no number row.
    /// </summary>
    public virtual async Task ReadAsync(string callId, SimpleAiCall call, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        ArgumentNullException.ThrowIfNull(call);
        var startedAt = call.StartedAt?.Value ?? time.GetUtcNow();
        var partition = PartitionOf(startedAt);
        var row = new TableEntity(partition, CallRowKeyOf(callId))
        {
            ["CallId"] = callId,
            ["StartedAt"] = startedAt,
            ["EndedAt"] = call.EndedAt?.Value,
            ["Status"] = call.Status,
            ["Direction"] = call.Direction,
            ["From"] = Normalised(call.FromNumber),
            ["To"] = Normalised(call.ToNumber),
        };
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpsertMerge, row) };
        foreach (var number in NumbersOf(call))
        {
            actions.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, NumberRowKeyOf(number, callId))
            {
                ["CallId"] = callId,
                ["StartedAt"] = startedAt,
            }));
        }

        await Table.SubmitTransactionAsync(actions, cancellationToken);
    }

    /// <summary>The call's distinct numbers that are E.164.</summary>
    private static IEnumerable<string> NumbersOf(SimpleAiCall call) =>
        new[] { call.FromNumber, call.ToNumber }.Select(n => PhoneNumbers.ToE164(n)).OfType<string>().Distinct(StringComparer.Ordinal);

    private static string? Normalised(string? number) => PhoneNumbers.ToE164(number) ?? number;

    /// <summary>
    /// The calls of one hour, newest first: one query of the hour's call rows (a RowKey range of one partition).
    /// </summary>
    public virtual async Task<IReadOnlyList<CallIndexEntry>> HourAsync(string partitionKey, CancellationToken cancellationToken)
    {
        var entries = new List<CallIndexEntry>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {CallPrefix} and RowKey lt {PrefixEnd(CallPrefix)}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            entries.Add(CallIndexEntry.Of(row));
        }

        return [.. entries.OrderByDescending(e => e.StartedAt).ThenBy(e => e.CallId, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Calls that started in [<paramref name="from"/>, <paramref name="to"/>), newest first, hour by hour from the
    /// newest hour, one query per hour and one hour ahead (a call with rows in two adjacent hours is listed once, at
    /// the later row, with what both rows know): a caller that stops after a page reads only the hours it needed.
    /// </summary>
    public virtual async IAsyncEnumerable<CallIndexEntry> NewestFirstAsync(
        DateTimeOffset from, DateTimeOffset to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var oldest = Truncate(from);
        var hour = Truncate(to);
        var current = await HourAsync(PartitionOf(hour), cancellationToken);
        while (hour >= oldest)
        {
            var before = hour.AddHours(-1);
            var earlier = before >= oldest ? await HourAsync(PartitionOf(before), cancellationToken) : [];
            var earlierById = earlier.ToDictionary(e => e.CallId, StringComparer.Ordinal);
            foreach (var row in current)
            {
                var entry = earlierById.TryGetValue(row.CallId, out var other) ? Merge(row, other) : row;
                if (entry.StartedAt >= from && entry.StartedAt < to && listed.Add(entry.CallId))
                {
                    yield return entry;
                }
            }

            current = earlier;
            hour = before;
        }
    }

    /// <summary>
    /// Every call that involved <paramref name="e164"/> and started in [<paramref name="from"/>, <paramref name="to"/>]:
    /// one RowKey prefix query per hour, up to <paramref name="parallel"/> at once. For a search in a window and for erasure.
    /// </summary>
    public virtual async Task<IReadOnlyList<(string Partition, string CallId)>> OfNumberAsync(
        string e164, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken, int parallel = 16)
    {
        ArgumentException.ThrowIfNullOrEmpty(e164);
        var hours = new List<string>();
        for (var hour = Truncate(from); hour <= to; hour = hour.AddHours(1))
        {
            hours.Add(PartitionOf(hour));
        }

        var found = new System.Collections.Concurrent.ConcurrentBag<(string, string)>();
        var prefix = NumberPrefixOf(e164);
        await Parallel.ForEachAsync(hours, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (partition, token) =>
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {PrefixEnd(prefix)}");
            await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["CallId"], cancellationToken: token))
            {
                found.Add((partition, row.GetString("CallId")));
            }
        });
        return [.. found.Distinct().OrderBy(f => f.Item1, StringComparer.Ordinal)];
    }

    /// <summary>The call's row in the hour of <paramref name="at"/> or either side; null when none is found.</summary>
    public virtual async Task<CallIndexEntry?> FindAsync(string callId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        CallIndexEntry? merged = null;
        foreach (var partition in HoursAround(at))
        {
            if (await Table.FindAsync<TableEntity>(partition, CallRowKeyOf(callId), cancellationToken) is { } row)
            {
                var entry = CallIndexEntry.Of(row);
                merged = merged is null ? entry : Merge(entry, merged);
            }
        }

        return merged;
    }

    /// <summary>The oldest hour that has rows; null when the index is empty. One query that stops at its first row.</summary>
    public virtual async Task<string?> OldestHourAsync(CancellationToken cancellationToken)
    {
        await foreach (var row in Table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            return row.PartitionKey;
        }

        return null;
    }

    /// <summary>What two rows of one call know, <paramref name="later"/>'s values first.</summary>
    public static CallIndexEntry Merge(CallIndexEntry later, CallIndexEntry earlier)
    {
        ArgumentNullException.ThrowIfNull(later);
        ArgumentNullException.ThrowIfNull(earlier);
        return later with
        {
            ApiStartedAt = later.ApiStartedAt ?? earlier.ApiStartedAt,
            SeenAt = earlier.SeenAt ?? later.SeenAt,
            EndedAt = later.EndedAt ?? earlier.EndedAt,
            Status = later.Status ?? earlier.Status,
            Direction = later.Direction ?? earlier.Direction,
            From = later.From ?? earlier.From,
            To = later.To ?? earlier.To,
            Partitions = [.. later.Partitions.Concat(earlier.Partitions).Distinct(StringComparer.Ordinal)],
        };
    }

    private static DateTimeOffset Truncate(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}
