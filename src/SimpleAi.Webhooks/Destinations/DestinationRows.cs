using System.Collections.Concurrent;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Destinations;

/// <summary>
/// The destinations' rows in table <c>destinations</c> as one instance sees them: read (inserting an active row for a
/// destination seen the first time), written conditionally on the ETag read, and kept for the cache time.
/// </summary>
internal sealed class DestinationRows(TableServiceClient tables, TimeProvider time, TimeSpan cacheTime, int rounds)
{
    private readonly ConcurrentDictionary<string, (DestinationState State, DateTimeOffset At)> _cache = new(StringComparer.Ordinal);

    private TableClient Table => tables.GetTableClient(TableNames.Destinations);

    /// <summary>The row as this instance last saw it, when that is younger than the cache time.</summary>
    public DestinationState? Fresh(string destination) =>
        _cache.TryGetValue(destination, out var cached) && time.GetUtcNow() - cached.At < cacheTime ? cached.State : null;

    /// <summary>Reads the row; a destination seen for the first time gets an active row, so <c>destinations</c> lists it.</summary>
    public async Task<DestinationState> ReadAsync(string destination, CancellationToken cancellationToken)
    {
        for (var round = 1; ; round++)
        {
            if (await Table.FindAsync<TableEntity>(destination, destination, cancellationToken) is { } row)
            {
                return Remember(DestinationRow.FromEntity(row));
            }

            var created = DestinationState.New(destination);
            if (await Table.TryInsertAsync(DestinationRow.ToEntity(created), cancellationToken) is { } etag)
            {
                return Remember(created with { ETag = etag });
            }

            if (round == rounds)
            {
                throw new InvalidOperationException($"The row of destination {destination} was inserted and deleted {rounds} times while it was read.");
            }
        }
    }

    /// <summary>Writes the next state if the row is as read; null when another instance wrote or deleted it meanwhile.</summary>
    public async Task<DestinationState?> TryWriteAsync(DestinationState read, DestinationState next, CancellationToken cancellationToken)
    {
        var write = Table.UpdateEntityAsync(DestinationRow.ToEntity(next), read.ETag, TableUpdateMode.Replace, cancellationToken);
        if (!await ETagRetry.WonAsync(write, deletedLoses: true))
        {
            _cache.TryRemove(read.Name, out _);
            return null;
        }

        return Remember(next with { ETag = (await write).Headers.ETag ?? throw new InvalidOperationException("Table Storage returned no ETag.") });
    }

    private DestinationState Remember(DestinationState state)
    {
        _cache[state.Name] = (state, time.GetUtcNow());
        return state;
    }

    /// <summary>Every destination with a row, by name.</summary>
    public async Task<IReadOnlyList<DestinationState>> ListAsync(CancellationToken cancellationToken)
    {
        var states = new List<DestinationState>();
        await foreach (var row in Table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            states.Add(DestinationRow.FromEntity(row));
        }

        return states.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }
}
