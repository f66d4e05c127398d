using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.PreCall;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Lifecycle;

/// <summary>
/// <c>erase --call</c> and <c>erase --caller</c>: deletes every call asked for (see <see cref="CallPurger"/>), a caller's
/// contact row and rows in the hour tables (<see cref="HourTables"/>), and their poison messages, then writes the audit.
/// Order: the calls are marked erased first (<see cref="LifecycleRecords.MarkErasedAsync"/>: from then on <c>status</c>
/// says "erased", <c>replay</c> refuses their messages and a late step message drops itself), then poison messages, then
/// each call's data as the sweep deletes it, the contact row, and last the audit row. Killed midway, the same command
/// run again finds what is left and finishes. A caller's calls are found by the index's number rows, hour by hour from
/// the oldest hour the index holds (the retention window bounds it).
/// </summary>
public sealed class CallErasure(
    TableServiceClient tables,
    CallIndex index,
    CallPurger purger,
    PoisonScrubber poison,
    LifecycleRecords records,
    TimeProvider time)
{
    private TableClient Index => tables.GetTableClient(TableNames.CallIndex);

    public async Task<ErasureResult> EraseAsync(ErasureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((request.CallId is null) == (request.Number is null))
        {
            throw new ArgumentException("Erase one call or one caller.", nameof(request));
        }

        var now = time.GetUtcNow();
        var numbers = request.Number is { } number ? new[] { number } : [];
        var calls = request.CallId is { } callId
            ? new Dictionary<string, List<StoredRow>>(StringComparer.Ordinal) { [callId] = await IndexRowsOfCallAsync(callId, cancellationToken) }
            : await CallsOfNumberAsync(request.Number!, now, cancellationToken);
        var footprints = new List<CallFootprint>();
        foreach (var (id, indexRows) in calls)
        {
            footprints.Add(await purger.FindAsync(id, indexRows, cancellationToken));
        }

        var live = await LiveAsync(calls, cancellationToken);
        var contact = request.Number is { } e164
            && await tables.GetTableClient(TableNames.Contacts).FindAsync<TableEntity>(e164, ContactStore.RowKeyOf(e164), cancellationToken) is not null;
        var hourRows = request.Number is { } n ? await HourTableRowsAsync(n, now, cancellationToken) : [];
        var ids = calls.Keys.ToHashSet(StringComparer.Ordinal);
        if (request.DryRun)
        {
            var wouldGo = await poison.RemoveAsync(ids, numbers, cancellationToken, dryRun: true);
            return new ErasureResult(footprints, contact, hourRows.Count, wouldGo, live, null);
        }

        if (request.Number is not null && (request.AuditKey is null || System.Text.Encoding.UTF8.GetByteCount(request.AuditKey) < ErasureAudit.MinKeyBytes))
        {
            throw new ArgumentException($"An erasure of a caller needs the audit key (at least {ErasureAudit.MinKeyBytes} bytes) to hash the number in its audit.", nameof(request));
        }

        var erasureId = Guid.NewGuid().ToString("N");
        await records.MarkErasedAsync(ids, erasureId, now, cancellationToken);
        var messages = await poison.RemoveAsync(ids, numbers, cancellationToken);
        foreach (var footprint in footprints)
        {
            await purger.DeleteAsync(footprint, cancellationToken);
        }

        await purger.DeleteRowsAsync(hourRows, cancellationToken);
        if (contact)
        {
            await purger.DeleteRowsAsync([new StoredRow(TableNames.Contacts, request.Number!, ContactStore.RowKeyOf(request.Number!))], cancellationToken);
        }

        await records.MarkErasedFinishedAsync(ids, cancellationToken);
        var result = new ErasureResult(footprints, contact, hourRows.Count, messages, live, null);
        var audit = new ErasureAudit(
            erasureId, now, request.ErasedBy, request.CallId is null ? "caller" : "call",
            request.Number is { } hashed ? ErasureAudit.HashOf(hashed, request.AuditKey!) : null,
            [.. ids.Order(StringComparer.Ordinal)], result.Rows, result.Blobs, messages, contact);
        await records.AddAuditAsync(audit, cancellationToken);
        return result with { Audit = audit };
    }

    /// <summary>
    /// The index rows of one call: its call row in the hours around every time known of it (its <c>calls</c> row's start,
    /// its run's creation, its deliveries), and its number rows, named by its call row's numbers.
    /// </summary>
    private async Task<List<StoredRow>> IndexRowsOfCallAsync(string callId, CancellationToken cancellationToken)
    {
        var times = new List<DateTimeOffset>();
        if (await tables.GetTableClient(TableNames.Calls).FindAsync<TableEntity>(callId, CallRecords.RowKeyOf(callId), cancellationToken) is { } call)
        {
            times.AddRange(new[] { call.GetDateTimeOffset("StartedAt"), call.GetDateTimeOffset("EndedAt") }.OfType<DateTimeOffset>());
        }

        if (await tables.GetTableClient(TableNames.Runs).FindAsync<TableEntity>(callId, callId, cancellationToken) is { } run && run.GetDateTimeOffset("CreatedAt") is { } created)
        {
            times.Add(created);
        }

        await foreach (var row in tables.GetTableClient(TableNames.Deliveries).QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {callId}"), select: ["ReceivedAt"], cancellationToken: cancellationToken))
        {
            times.AddRange(new[] { row.GetDateTimeOffset("ReceivedAt") }.OfType<DateTimeOffset>());
        }

        var rows = new List<StoredRow>();
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        var hours = times.SelectMany(t => CallIndex.HoursAround(t.AddHours(-1)).Concat(CallIndex.HoursAround(t.AddHours(1)))).Distinct(StringComparer.Ordinal).ToList();
        foreach (var hour in hours)
        {
            if (await Index.FindAsync<TableEntity>(hour, CallIndex.CallRowKeyOf(callId), cancellationToken) is { } row)
            {
                rows.Add(new StoredRow(TableNames.CallIndex, hour, row.RowKey));
                numbers.UnionWith(new[] { row.GetString("From"), row.GetString("To") }.OfType<string>());
            }
        }

        foreach (var hour in hours)
        {
            foreach (var number in numbers)
            {
                if (await Index.FindAsync<TableEntity>(hour, CallIndex.NumberRowKeyOf(number, callId), cancellationToken) is { } row)
                {
                    rows.Add(new StoredRow(TableNames.CallIndex, hour, row.RowKey));
                }
            }
        }

        return [.. rows.OrderBy(r => r.PartitionKey, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The caller's calls and each call's index rows: its number rows of every hour from the oldest the index holds to
    /// the next hour (one prefix query per hour), then each call's own rows (<see cref="IndexRowsOfCallAsync"/>'s reads
    /// in the hours around the one it was found in).
    /// </summary>
    private async Task<Dictionary<string, List<StoredRow>>> CallsOfNumberAsync(string e164, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var calls = new Dictionary<string, List<StoredRow>>(StringComparer.Ordinal);
        if (await index.OldestHourAsync(cancellationToken) is not { } oldest || CallIndex.HourOf(oldest) is not { } from)
        {
            return calls;
        }

        foreach (var (partition, callId) in await index.OfNumberAsync(e164, from, now.AddHours(1), cancellationToken))
        {
            if (!calls.TryGetValue(callId, out var rows))
            {
                calls[callId] = rows = [];
            }

            rows.Add(new StoredRow(TableNames.CallIndex, partition, CallIndex.NumberRowKeyOf(e164, callId)));
        }

        foreach (var (callId, rows) in calls)
        {
            var at = CallIndex.HourOf(rows[0].PartitionKey)!.Value;
            var own = new List<StoredRow>();
            foreach (var hour in CallIndex.HoursAround(at))
            {
                if (await Index.FindAsync<TableEntity>(hour, CallIndex.CallRowKeyOf(callId), cancellationToken) is { } row)
                {
                    own.Add(new StoredRow(TableNames.CallIndex, hour, row.RowKey));
                    foreach (var other in new[] { row.GetString("From"), row.GetString("To") }.OfType<string>().Where(n => n != e164))
                    {
                        if (await Index.FindAsync<TableEntity>(row.PartitionKey, CallIndex.NumberRowKeyOf(other, callId), cancellationToken) is not null)
                        {
                            own.Add(new StoredRow(TableNames.CallIndex, row.PartitionKey, CallIndex.NumberRowKeyOf(other, callId)));
                        }
                    }
                }
            }

            rows.AddRange(own);
            rows.Sort((a, b) => string.CompareOrdinal(a.PartitionKey, b.PartitionKey));
        }

        return calls;
    }

    private async Task<List<string>> LiveAsync(Dictionary<string, List<StoredRow>> calls, CancellationToken cancellationToken)
    {
        var live = new List<string>();
        foreach (var (callId, rows) in calls)
        {
            CallIndexEntry? entry = null;
            foreach (var row in rows.Where(r => r.RowKey == CallIndex.CallRowKeyOf(callId)))
            {
                if (await Index.FindAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken) is { } found)
                {
                    entry = entry is null ? CallIndexEntry.Of(found) : CallIndex.Merge(CallIndexEntry.Of(found), entry);
                }
            }

            if (entry is { Live: true })
            {
                live.Add(callId);
            }
        }

        return live;
    }

    /// <summary>
    /// The caller's number rows in every hour table, up to the next hour: one query per hour that holds rows, and one
    /// to find each such hour (a range read from the last one), so an erasure costs what the index holds, not the
    /// hours since its oldest row.
    /// </summary>
    private async Task<List<StoredRow>> HourTableRowsAsync(string e164, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = new List<StoredRow>();
        foreach (var hourTable in HourTables.All)
        {
            var table = tables.GetTableClient(hourTable.Table);
            var prefix = hourTable.NumberPrefix(e164);
            for (var partition = await NextPartitionAsync(table, null, cancellationToken); partition is not null; partition = await NextPartitionAsync(table, partition, cancellationToken))
            {
                if (CallIndex.HourOf(partition) is not { } hour)
                {
                    continue;
                }

                if (hour > now.AddHours(1))
                {
                    break;
                }

                var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {CallIndex.PrefixEnd(prefix)}");
                await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
                {
                    rows.Add(new StoredRow(hourTable.Table, row.PartitionKey, row.RowKey));
                }
            }
        }

        return rows;
    }

    /// <summary>The first partition after <paramref name="after"/> (the first of all when null); null when there is none.</summary>
    private static async Task<string?> NextPartitionAsync(TableClient table, string? after, CancellationToken cancellationToken)
    {
        var filter = after is null ? null : TableClient.CreateQueryFilter($"PartitionKey gt {after}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            return row.PartitionKey;
        }

        return null;
    }
}

/// <summary>What <c>erase</c> was asked: one call (<see cref="CallId"/>) or one caller (<see cref="Number"/>, E.164).</summary>
/// <param name="AuditKey">The key of the number's hash in the audit (<see cref="ErasureAudit.NumberHash"/>); not needed for a dry run.</param>
public sealed record ErasureRequest(string? CallId, string? Number, string ErasedBy, string? AuditKey, bool DryRun);

/// <summary>What an erasure deleted (or, for a dry run, would delete); <see cref="Audit"/> is null for a dry run.</summary>
/// <param name="Live">Erased calls the index shows still live: events still to come for them bring new data, to be erased in turn.</param>
public sealed record ErasureResult(
    IReadOnlyList<CallFootprint> Calls, bool Contact, int HourRows, int PoisonMessages, IReadOnlyList<string> Live, ErasureAudit? Audit)
{
    public int Rows => Calls.Sum(c => c.Rows.Count) + HourRows + (Contact ? 1 : 0);

    public int Blobs => Calls.Sum(c => c.Blobs.Count);
}

/// <summary>
/// Everything one call left in storage (see <see cref="CallPurger"/>): its blobs, and its rows in the order they are
/// deleted, each before the row it is found from (so a purge killed midway finds the rest again), its index rows last.
/// </summary>
public sealed record CallFootprint(string CallId, IReadOnlyList<StoredBlob> Blobs, IReadOnlyList<StoredRow> Rows)
{
    public bool IsEmpty => Blobs.Count == 0 && Rows.Count == 0;
}

/// <summary>A blob a call left.</summary>
public sealed record StoredBlob(string Container, string Name);

/// <summary>A table row a call left, by its keys.</summary>
public sealed record StoredRow(string Table, string PartitionKey, string RowKey);
