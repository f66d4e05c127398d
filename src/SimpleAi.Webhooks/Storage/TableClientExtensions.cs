namespace SimpleAi.Webhooks.Storage;

internal static class TableClientExtensions
{
    /// <summary>Inserts if absent: false when the key exists (409). The table is provisioned (see <c>StorageProvisioning</c>).</summary>
    public static async Task<bool> TryAddAsync(this TableClient table, ITableEntity entity, CancellationToken cancellationToken) =>
        await table.TryInsertAsync(entity, cancellationToken) is not null;

    /// <summary>Inserts if absent: the new row's ETag, or null when the key exists (409).</summary>
    public static async Task<ETag?> TryInsertAsync(this TableClient table, ITableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.AddEntityAsync(entity, cancellationToken);
            return response.Headers.ETag ?? throw new InvalidOperationException("Table Storage returned no ETag.");
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    /// <summary>A point read; null when the entity does not exist (a missing table is a <see cref="StorageResourceMissingException"/>).</summary>
    public static async Task<T?> FindAsync<T>(this TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var response = await table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }
}
