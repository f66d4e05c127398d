namespace SimpleAi.Webhooks.Lifecycle;

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
