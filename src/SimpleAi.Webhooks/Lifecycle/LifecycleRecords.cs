using SimpleAi.Webhooks.Storage;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Lifecycle;

/// <summary>
/// Table <c>lifecycle</c>: what deletion leaves behind, so <c>status</c>, <c>replay</c> and a late step message can tell
/// a purged or erased call from one never seen, and the customer can prove an erasure. It keeps no call data:
/// <list type="bullet">
/// <item>the retention watermark (PartitionKey <c>retention</c>): "calls that started before T were purged on D"
/// (<see cref="PurgeWatermark"/>), no call id;</item>
/// <item>one row per erased call (PartitionKey = call id, RowKey <c>erased|{call id}</c>): when, and by which
/// erasure; a call id and a time, nothing else;</item>
/// <item>one audit row per erasure (PartitionKey <c>erasure</c>, RowKey <c>{inverted ticks}|{id}</c>, newest first):
/// when, by whom, the counts deleted, the erased call ids and, for a caller, a keyed hash of the number (never the
/// number: see <see cref="ErasureAudit"/>).</item>
/// </list>
/// </summary>
public class LifecycleRecords(TableServiceClient tables)
{
    private const string RetentionPartition = "retention";

    private const string WatermarkRowKey = "retention|watermark";

    public const string AuditPartition = "erasure";

    private TableClient Table => tables.GetTableClient(TableNames.Lifecycle);

    public static string ErasedRowKeyOf(string callId) => "erased|" + callId;

    public virtual async Task<PurgeWatermark?> WatermarkAsync(CancellationToken cancellationToken)
    {
        var row = await FindAsync(RetentionPartition, WatermarkRowKey, cancellationToken);
        return row?.GetDateTimeOffset("PurgedBefore") is { } before
            ? new PurgeWatermark(before, row.GetDateTimeOffset("StartedOn") ?? before, row.GetDateTimeOffset("FinishedOn"), row.GetInt32("Days") ?? 0)
            : null;
    }

    /// <summary>Written before a sweep deletes anything (finished null), and again when it ends.</summary>
    public virtual Task SaveWatermarkAsync(PurgeWatermark watermark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watermark);
        return Table.UpsertEntityAsync(
            new TableEntity(RetentionPartition, WatermarkRowKey)
            {
                ["PurgedBefore"] = watermark.PurgedBefore,
                ["StartedOn"] = watermark.StartedOn,
                ["FinishedOn"] = watermark.FinishedOn,
                ["Days"] = watermark.Days,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    /// <summary>Marks the calls erased, before anything of them is deleted (one transaction per call: partition = call id).</summary>
    public virtual async Task MarkErasedAsync(IEnumerable<string> callIds, string erasureId, DateTimeOffset on, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callIds);
        foreach (var callId in callIds)
        {
            await Table.UpsertEntityAsync(
                new TableEntity(callId, ErasedRowKeyOf(callId)) { ["ErasedOn"] = on, ["ErasureId"] = erasureId, ["Finished"] = false },
                TableUpdateMode.Replace,
                cancellationToken);
        }
    }

    public virtual async Task MarkErasedFinishedAsync(IEnumerable<string> callIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callIds);
        foreach (var callId in callIds)
        {
            await Table.UpsertEntityAsync(new TableEntity(callId, ErasedRowKeyOf(callId)) { ["Finished"] = true }, TableUpdateMode.Merge, cancellationToken);
        }
    }

    /// <summary>The call's erasure; null when it was never erased. One point read.</summary>
    public virtual async Task<CallGone?> ErasedAsync(string callId, CancellationToken cancellationToken)
    {
        var row = await FindAsync(callId, ErasedRowKeyOf(callId), cancellationToken);
        return row?.GetDateTimeOffset("ErasedOn") is { } on ? new CallGone(CallGoneKind.Erased, on, row.GetBoolean("Finished") ?? true) : null;
    }

    /// <summary>
    /// Why nothing (or only part) of a call is left: erased, or purged when a time known of it (<paramref name="knownAt"/>:
    /// when it started, was delivered or its run began) is before the watermark. Null when neither, or when nothing is
    /// known of it and it was not erased (then the watermark, if any, is all there is to say).
    /// </summary>
    public virtual async Task<CallGone?> GoneAsync(string callId, DateTimeOffset? knownAt, CancellationToken cancellationToken)
    {
        if (await ErasedAsync(callId, cancellationToken) is { } erased)
        {
            return erased;
        }

        return await WatermarkAsync(cancellationToken) is { } watermark && knownAt < watermark.PurgedBefore
            ? new CallGone(CallGoneKind.Purged, watermark.FinishedOn ?? watermark.StartedOn, watermark.FinishedOn is not null)
            : null;
    }

    /// <summary>A point read; null also when the table does not exist (storage the app never ran on: nothing was deleted).</summary>
    private async Task<TableEntity?> FindAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            return await Table.FindAsync<TableEntity>(partitionKey, rowKey, cancellationToken);
        }
        catch (Exception e) when (e is StorageResourceMissingException or RequestFailedException { Status: 404 })
        {
            return null;
        }
    }

    public virtual Task AddAuditAsync(ErasureAudit audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return Table.UpsertEntityAsync(audit.ToEntity(), TableUpdateMode.Replace, cancellationToken);
    }
}

/// <summary>Why a call's data is gone, and when: erased on request, or purged by retention.</summary>
/// <param name="Finished">False while the purge or erasure that began on <paramref name="On"/> has not finished (it finishes on its next run).</param>
public sealed record CallGone(CallGoneKind Kind, DateTimeOffset On, bool Finished = true)
{
    /// <summary>"erased on 2026-12-07 10:00:00Z", "purged on …" (what <c>status</c> and <c>replay</c> say).</summary>
    public override string ToString() =>
        $"{(Kind == CallGoneKind.Erased ? "erased" : "purged")} on {On.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z{(Finished ? string.Empty : " (the rest goes on the next run)")}";
}

public enum CallGoneKind
{
    /// <summary>Deleted by <c>erase</c>; the erasure's audit names the call.</summary>
    Erased,

    /// <summary>Deleted by the retention sweep: it started before the sweep's watermark.</summary>
    Purged,
}

/// <summary>
/// What the retention sweep has done, without naming any call: calls that started before <see cref="PurgedBefore"/>
/// were purged by the sweep that began on <see cref="StartedOn"/> (finished on <see cref="FinishedOn"/>; null while it
/// has not).
/// </summary>
public sealed record PurgeWatermark(DateTimeOffset PurgedBefore, DateTimeOffset StartedOn, DateTimeOffset? FinishedOn, int Days);

/// <summary>A missing run is gone when its call was erased, or the run it carried was created before the retention watermark.</summary>
public sealed class LifecycleGoneRuns(LifecycleRecords records) : IGoneRuns
{
    public async Task<string?> WhyGoneAsync(string callId, DateTimeOffset? createdAt, CancellationToken cancellationToken) =>
        (await records.GoneAsync(callId, createdAt, cancellationToken))?.ToString();
}
