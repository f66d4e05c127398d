using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Transcripts;

/// <summary>
/// Table <c>transcripts</c>, partition = call id: a state row for fetch coalescing (ETag-guarded, RowKey = call id),
/// and one row per line keyed <c>{call id}:{zero-padded index}</c> (re-storing a line is an idempotent upsert). Every
/// RowKey is selective, and one call's lines from any index on are one RowKey range.
/// </summary>
public class TranscriptStore(TableServiceClient tables)
{
    /// <summary>The state row's RowKey: the call id, like its PartitionKey.</summary>
    public static string StateRowKeyOf(string callId) => callId;

    /// <summary>A line's RowKey; lines sort by index after the state row.</summary>
    public static string LineRowKeyOf(string callId, int index) =>
        callId + LineSeparator + index.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    private const char LineSeparator = ':';

    /// <summary>The first RowKey after every line of the call (the character after <see cref="LineSeparator"/>).</summary>
    private static string LinesEnd(string callId) => callId + (char)(LineSeparator + 1);

    private TableClient Table => tables.GetTableClient(TableNames.Transcripts);

    public virtual async Task<(TranscriptState State, ETag ETag)?> FindStateAsync(string callId, CancellationToken cancellationToken)
    {
        var entity = await Table.FindAsync<TableEntity>(callId, StateRowKeyOf(callId), cancellationToken);
        return entity is null
            ? null
            : (new TranscriptState(
                entity.GetDateTimeOffset("LastFetchStartedAt"),
                entity.GetDateTimeOffset("ScheduledFor"),
                entity.GetInt32("LineCount") ?? 0,
                entity.GetString("Token"),
                entity.GetString("ScheduledBy"),
                entity.GetString("FetchClaimedBy"),
                entity.GetBoolean("Indexed") ?? false), entity.ETag);
    }

    /// <summary>Writes the state if unchanged since <paramref name="etag"/> (or absent when default); false if another writer won.</summary>
    public virtual async Task<bool> TrySaveStateAsync(string callId, TranscriptState state, ETag etag, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(callId, StateRowKeyOf(callId))
        {
            ["LastFetchStartedAt"] = state.LastFetchStartedAt,
            ["ScheduledFor"] = state.ScheduledFor,
            ["LineCount"] = state.LineCount,
            ["Token"] = state.Token,
            ["ScheduledBy"] = state.ScheduledBy,
            ["FetchClaimedBy"] = state.FetchClaimedBy,
            ["Indexed"] = state.Indexed,
        };
        return etag == default
            ? await Table.TryAddAsync(entity, cancellationToken)
            : await ETagRetry.WonAsync(Table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken));
    }

    /// <summary>Upserts lines in batches of 100 (one partition, so each batch is one transaction).</summary>
    public virtual async Task SaveLinesAsync(string callId, IReadOnlyList<TranscriptLineRecord> lines, CancellationToken cancellationToken)
    {
        foreach (var chunk in lines.Chunk(100))
        {
            var actions = chunk.Select(line => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(callId, LineRowKeyOf(callId, line.Index))
            {
                ["Index"] = line.Index,
                ["Role"] = line.Role,
                ["Text"] = line.Text,
                ["Timestamp"] = line.Timestamp,
                ["FunctionName"] = line.FunctionName,
            }));
            await Table.SubmitTransactionAsync(actions, cancellationToken);
        }
    }

    /// <summary>
    /// The stored lines from index <paramref name="since"/> on, in order; null when nothing is known of the call. One
    /// RowKey range query in the call's partition (never the whole partition or table), and a point read of the state
    /// row only when the range is empty.
    /// </summary>
    public virtual async Task<IReadOnlyList<TranscriptLineRecord>?> ReadLinesAsync(string callId, int since, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(since);
        var lines = new List<TranscriptLineRecord>();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {callId} and RowKey ge {LineRowKeyOf(callId, since)} and RowKey lt {LinesEnd(callId)}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            lines.Add(new TranscriptLineRecord(
                entity.GetInt32("Index") ?? 0, entity.GetString("Role"), entity.GetString("Text"), entity.GetDateTimeOffset("Timestamp"), entity.GetString("FunctionName")));
        }

        if (lines.Count > 0)
        {
            return lines;
        }

        return await Table.FindAsync<TableEntity>(callId, StateRowKeyOf(callId), cancellationToken) is null ? null : lines;
    }
}

/// <summary>One stored transcript line; <see cref="Index"/> is its position in the call's transcript.</summary>
public sealed record TranscriptLineRecord(int Index, string? Role, string? Text, DateTimeOffset? Timestamp, string? FunctionName = null);

/// <summary>
/// Coalescing state of one call: when the last fetch began, when the next (not yet begun) fetch is due, how many
/// lines are stored, and which fetch is current: <see cref="Token"/> names the one <c>transcript-fetch</c> message
/// that may run it (a message with another token was overtaken by a newer fetch, which reads every line), and
/// <see cref="ScheduledBy"/> the update (event id) that scheduled it, so that update, delivered again, re-sends a
/// message a crash may have lost. <see cref="FetchClaimedBy"/> is the queue message that began the current fetch (see
/// <see cref="TranscriptFetchDecision"/>), so other copies of that message do not fetch again. <see cref="Indexed"/>
/// says a fetch wrote the call into the <c>CallIndex</c> (once per call: its numbers and start for the console).
/// </summary>
public sealed record TranscriptState(
    DateTimeOffset? LastFetchStartedAt,
    DateTimeOffset? ScheduledFor,
    int LineCount,
    string? Token = null,
    string? ScheduledBy = null,
    string? FetchClaimedBy = null,
    bool Indexed = false);
