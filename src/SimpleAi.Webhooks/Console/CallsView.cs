using Azure.Storage.Blobs;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Operations;
using SimpleAi.Webhooks.PreCall;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Console;

/// <summary>
/// The Calls view: calls newest first from <see cref="CallIndex"/> (one query per hour read), each joined with its run
/// (one point read per row, in parallel), a page at a time. A filter on the run reads on until the page is full or
/// <see cref="MaxScanned"/> calls were read, and then gives a cursor to read on from.
/// </summary>
public sealed class CallsView(CallIndex index, RunStore runs, TableServiceClient tables, BlobServiceClient blobs, IOptions<ConsoleOptions> options)
{
    /// <summary>The most calls one page reads while looking for rows that pass a filter.</summary>
    public const int MaxScanned = 2000;

    public async Task<CallsPage> ListAsync(CallsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pageSize = options.Value.PageSize;
        var (afterAt, afterId) = Cursor(query.After);
        var to = afterAt is { } at && at.AddTicks(1) < query.To ? at.AddTicks(1) : query.To;
        var source = string.IsNullOrWhiteSpace(query.Search)
            ? index.NewestFirstAsync(query.From, to, cancellationToken)
            : (await SearchAsync(query.Search.Trim(), query.From, to, cancellationToken)).ToAsyncEnumerable();
        var rows = new List<CallRow>();
        var batch = new List<CallIndexEntry>();
        CallIndexEntry? last = null;
        var scanned = 0;
        var more = false;
        await foreach (var entry in source.WithCancellation(cancellationToken))
        {
            if (afterAt is not null && entry.StartedAt == afterAt && string.CompareOrdinal(entry.CallId, afterId) <= 0)
            {
                continue;
            }

            if (rows.Count >= pageSize || scanned >= MaxScanned)
            {
                more = true;
                break;
            }

            scanned++;
            last = entry;
            if (query.Filter == "live" && !entry.Live)
            {
                continue;
            }

            batch.Add(entry);
            if (batch.Count >= pageSize - rows.Count)
            {
                rows.AddRange(Passing(await JoinAsync(batch, cancellationToken), query.Filter));
                batch.Clear();
            }
        }

        rows.AddRange(Passing(await JoinAsync(batch, cancellationToken), query.Filter));
        var next = more && rows.Count > 0 ? CursorOf(rows[^1].StartedAt, rows[^1].CallId)
            : more && last is not null ? CursorOf(last.StartedAt, last.CallId)
            : null;
        return new CallsPage(rows, next, scanned, query.From, to, query.Search);
    }

    /// <summary>
    /// The calls a search names: a call id, an event id (its delivery names the call) or a number (as typed: normalised
    /// to E.164 as the pre-call lookup does), this number's calls in the window by the index's number rows.
    /// </summary>
    public async Task<IReadOnlyList<CallIndexEntry>> SearchAsync(string search, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(search);
        if (LooksLikeNumber(search))
        {
            if (PhoneNumbers.ToE164(search) is not { } e164)
            {
                return [];
            }

            var found = await index.OfNumberAsync(e164, from, to, cancellationToken);
            var entries = await Task.WhenAll(found.Select(f => index.FindAsync(f.CallId, CallIndex.HourOf(f.Partition)!.Value, cancellationToken)));
            return [.. entries.OfType<CallIndexEntry>().Where(e => e.StartedAt >= from && e.StartedAt < to).DistinctBy(e => e.CallId)
                .OrderByDescending(e => e.StartedAt).ThenBy(e => e.CallId, StringComparer.Ordinal)];
        }

        var timeline = await CallTimeline.FindAsync(tables, blobs, search, cancellationToken);
        if (timeline?.CallId is not { } callId)
        {
            return [];
        }

        return await EntryOfAsync(index, timeline, callId, null, cancellationToken) is { } entry ? [entry] : [];
    }

    /// <summary>
    /// The index's row of a call whose timeline is known (found around when its run started or its first delivery
    /// came), or a row made of the timeline when the index has none (a call the API was never asked about yet).
    /// </summary>
    public static async Task<CallIndexEntry?> EntryOfAsync(CallIndex index, CallTimeline? timeline, string callId, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        var around = at ?? timeline?.Run?.CreatedAt ?? timeline?.Deliveries.Min(d => d.ReceivedAt);
        if (around is not { } when)
        {
            return null;
        }

        return await index.FindAsync(callId, when, cancellationToken)
            ?? new CallIndexEntry(callId, when, null, null, null, null, null, null, [CallIndex.PartitionOf(when)]);
    }

    private static bool LooksLikeNumber(string search) =>
        search.Any(char.IsDigit) && search.All(c => char.IsDigit(c) || c is '+' or ' ' or '-' or '(' or ')' or '.');

    private async Task<IReadOnlyList<CallRow>> JoinAsync(List<CallIndexEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return [];
        }

        var joined = await Task.WhenAll(entries.Select(async entry => RowOf(entry, await FindRunAsync(entry.CallId, cancellationToken))));
        return joined;
    }

    private async Task<WorkflowRun?> FindRunAsync(string callId, CancellationToken cancellationToken)
    {
        try
        {
            return await runs.FindAsync(callId, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public static CallRow RowOf(CallIndexEntry entry, WorkflowRun? run)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var duration = entry.EndedAt is { } ended ? Math.Max(0, (ended - entry.StartedAt).TotalSeconds) : (double?)null;
        return new CallRow(
            entry.CallId,
            entry.From,
            entry.To,
            PhoneMask.Mask(entry.From),
            PhoneMask.Mask(entry.To),
            entry.StartedAt,
            entry.EndedAt,
            duration,
            entry.Live,
            entry.Status,
            entry.Direction,
            run is null ? null : StepDisplay.RunStatus(run),
            run?.Status == RunStatus.Failed ? run.Steps.FirstOrDefault(s => s.Value.Status == StepStatus.Failed).Key : null);
    }

    private static IEnumerable<CallRow> Passing(IEnumerable<CallRow> rows, string? filter) => filter switch
    {
        "running" => rows.Where(r => r.Run is "running" or "retrying"),
        "failed" => rows.Where(r => r.Run?.StartsWith("failed", StringComparison.Ordinal) == true),
        "completed" => rows.Where(r => r.Run == "completed"),
        _ => rows,
    };

    private static string CursorOf(DateTimeOffset startedAt, string callId) =>
        startedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + "_" + callId;

    private static (DateTimeOffset? At, string? CallId) Cursor(string? after)
    {
        if (after?.Split('_', 2) is [var ticks, var callId] && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t)
            && t is > 0 and < 3155378975999999999)
        {
            return (new DateTimeOffset(t, TimeSpan.Zero), callId);
        }

        return (null, null);
    }
}

/// <summary>A page of the Calls view: its rows, the cursor of the next page (null at the end) and how many calls were read.</summary>
public sealed record CallsPage(IReadOnlyList<CallRow> Calls, string? Next, int Scanned, DateTimeOffset From, DateTimeOffset To, string? Search);

/// <summary>
/// What the Calls view asks for: a window, a filter (<c>live</c>, <c>running</c>, <c>failed</c>, <c>completed</c>), a
/// search (a call id, an event id or a caller's number, E.164 or as typed) and the cursor of the page to read.
/// </summary>
public sealed record CallsQuery(DateTimeOffset From, DateTimeOffset To, string? Filter = null, string? Search = null, string? After = null)
{
    public static readonly IReadOnlyList<string> Filters = ["live", "running", "failed", "completed"];
}
