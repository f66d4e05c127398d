using Azure;
using Azure.Data.Tables;

namespace SimpleAi.Webhooks.Storage;

internal static class TableClientExtensions
{
    /// <summary>Inserts if absent: false when the key exists (409), creating a missing table on first use.</summary>
    public static async Task<bool> TryAddAsync(this TableClient table, ITableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                await table.AddEntityAsync(entity, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode == "TableNotFound")
            {
                await table.CreateIfNotExistsAsync(cancellationToken);
                await table.AddEntityAsync(entity, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

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

    /// <summary>A point read; null when the entity (or the table) does not exist.</summary>
    public static async Task<T?> FindAsync<T>(this TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var response = await table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }
}
