using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace SimpleAi.Functions.Tests.Lifecycle;

/// <summary>
/// Everything in a storage account as text, one item per row, blob and queue message: every table listed and read
/// whole, every container listed (names and contents), every queue peeked. What a search for a call id or a phone
/// number must not find after it was deleted.
/// </summary>
internal static class StorageListing
{
    public static async Task<IReadOnlyList<string>> AllAsync(string connectionString)
    {
        var tables = new TableServiceClient(connectionString, AzureConnections.TableOptions());
        var blobs = new BlobServiceClient(connectionString, AzureConnections.BlobOptions());
        var queues = new QueueServiceClient(connectionString, AzureConnections.QueueOptions());
        var items = new List<string>();
        await foreach (var table in tables.QueryAsync())
        {
            await foreach (var row in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                var properties = row.Where(p => p.Key is not ("Timestamp" or "odata.etag")).OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => $"{p.Key}={Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)}");
                items.Add($"table {table.Name}: {string.Join("; ", properties)}");
            }
        }

        await foreach (var container in blobs.GetBlobContainersAsync())
        {
            var client = blobs.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, CancellationToken.None))
            {
                var content = (await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString();
                items.Add($"blob {container.Name}/{blob.Name}: {content}");
            }
        }

        await foreach (var queue in queues.GetQueuesAsync())
        {
            var client = queues.GetQueueClient(queue.Name);
            var peeked = (await client.PeekMessagesAsync(32)).Value;
            var count = (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount;
            Assert.True(peeked.Length < 32 && peeked.Length == count, $"queue {queue.Name} holds {count} message(s), a peek lists {peeked.Length} (too many, or some invisible): the listing would be incomplete");
            items.AddRange(peeked.Select(m => $"queue {queue.Name}: {m.MessageText}"));
        }

        return items;
    }

    /// <summary>Waits until every message of every queue is visible (a killed pass over a poison queue left some locked).</summary>
    public static async Task AllVisibleAsync(string connectionString)
    {
        var queues = new QueueServiceClient(connectionString, AzureConnections.QueueOptions());
        await foreach (var queue in queues.GetQueuesAsync())
        {
            var client = queues.GetQueueClient(queue.Name);
            await Conditions.WaitAsync(
                async () => (await client.PeekMessagesAsync(32)).Value.Length == (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount,
                TimeSpan.FromSeconds(30), $"every message of {queue.Name} visible");
        }
    }

    /// <summary>The items that hold any of <paramref name="needles"/>.</summary>
    public static IReadOnlyList<string> Holding(IEnumerable<string> items, IReadOnlyCollection<string> needles) =>
        [.. items.Where(item => needles.Any(n => item.Contains(n, StringComparison.Ordinal)))];
}
