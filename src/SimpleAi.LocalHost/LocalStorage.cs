using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using SimpleAi.Webhooks;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.LocalHost;

/// <summary>What the local host provisions at start, as the Bicep does in Azure: trigger queues, tables, containers.</summary>
internal static class LocalStorage
{
    /// <summary>Creates every trigger queue and its poison queue once, at start (never on the hot path).</summary>
    internal static async Task<IReadOnlyDictionary<string, QueueClient>> ProvisionQueuesAsync(
        LocalHostOptions options, IReadOnlyList<LocalFunction> functions, CancellationToken cancellationToken)
    {
        var queues = new Dictionary<string, QueueClient>(StringComparer.Ordinal);
        foreach (var trigger in functions.Select(f => f.Trigger).OfType<QueueTriggerBinding>())
        {
            var service = QueueServiceFor(options.Configuration, trigger.Connection);
            await StorageProvisioning.EnsureQueuesAsync(service, [trigger.QueueName], cancellationToken);
            if (options.ClearQueues)
            {
                await service.GetQueueClient(trigger.QueueName).ClearMessagesAsync(cancellationToken);
                await service.GetQueueClient(QueueNames.PoisonOf(trigger.QueueName)).ClearMessagesAsync(cancellationToken);
            }

            queues[trigger.QueueName] = service.GetQueueClient(trigger.QueueName);
        }

        return queues;
    }

    /// <summary>
    /// Creates the app's tables and blob containers once, at start, on a storage named by a connection string (Azurite);
    /// identity-based storage in Azure is provisioned by the Bicep. (Its queues are the trigger queues above.)
    /// </summary>
    internal static async Task ProvisionAppStorageAsync(LocalHostOptions options, CancellationToken cancellationToken)
    {
        if (options.Configuration[ConnectionNames.Storage] is { Length: > 0 } connection)
        {
            await StorageProvisioning.EnsureAsync(new TableServiceClient(connection), new BlobServiceClient(connection), cancellationToken);
        }
    }

    /// <summary>A client for a connection setting as the Functions host resolves it: a connection string, or a section with a queue service URI (identity).</summary>
    internal static QueueServiceClient QueueServiceFor(IConfiguration configuration, string connection)
    {
        var value = configuration.GetConnectionString(connection) ?? configuration["AzureWebJobs" + connection] ?? configuration[connection];
        if (!string.IsNullOrWhiteSpace(value))
        {
            return new QueueServiceClient(value);
        }

        var section = configuration.GetSection(connection);
        var uri = section["queueServiceUri"]
            ?? (section["accountName"] is { Length: > 0 } account ? $"https://{account}.queue.core.windows.net" : null)
            ?? throw new InvalidOperationException($"The connection '{connection}' is not configured: set '{connection}' to a connection string (Azurite: UseDevelopmentStorage=true).");
        return new QueueServiceClient(new Uri(uri), new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = section["clientId"] }));
    }
}
