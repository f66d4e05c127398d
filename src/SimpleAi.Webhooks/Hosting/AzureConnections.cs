using Azure.Core;
using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Hosting;

/// <summary>
/// Builds Azure clients from the same connection settings the Functions triggers read: a connection string
/// (Azurite, local) or a section with a service URI and an identity (<c>__credential</c>, <c>__clientId</c>) in Azure.
/// </summary>
public static class AzureConnections
{
    /// <summary>
    /// Retries kept short: the ingest path answers Simple AI while it waits, and a 503 makes Simple AI retry later.
    /// </summary>
    public static QueueClientOptions QueueOptions()
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        ConfigureRetry(options.Retry);
        return MissingResourcePolicy.AddTo(options);
    }

    public static BlobClientOptions BlobOptions()
    {
        var options = new BlobClientOptions();
        ConfigureRetry(options.Retry);
        return MissingResourcePolicy.AddTo(options);
    }

    public static TableClientOptions TableOptions()
    {
        var options = new TableClientOptions();
        ConfigureRetry(options.Retry);
        return MissingResourcePolicy.AddTo(options);
    }

    public static QueueServiceClient CreateQueueServiceClient(IConfiguration configuration, AzureComponentFactory factory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(factory);
        var section = configuration.GetSection(ConnectionNames.Storage);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return new QueueServiceClient(section.Value, QueueOptions());
        }

        var serviceUri = section["queueServiceUri"]
            ?? (section["accountName"] is { Length: > 0 } account ? $"https://{account}.queue.core.windows.net" : null)
            ?? throw Missing(ConnectionNames.Storage, "queueServiceUri");
        return new QueueServiceClient(new Uri(serviceUri), factory.CreateTokenCredential(section), QueueOptions());
    }

    public static BlobServiceClient CreateBlobServiceClient(IConfiguration configuration, AzureComponentFactory factory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(factory);
        var section = configuration.GetSection(ConnectionNames.Storage);
        var options = BlobOptions();
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return new BlobServiceClient(section.Value, options);
        }

        var serviceUri = section["blobServiceUri"]
            ?? (section["accountName"] is { Length: > 0 } account ? $"https://{account}.blob.core.windows.net" : null)
            ?? throw Missing(ConnectionNames.Storage, "blobServiceUri");
        return new BlobServiceClient(new Uri(serviceUri), factory.CreateTokenCredential(section), options);
    }

    public static TableServiceClient CreateTableServiceClient(IConfiguration configuration, AzureComponentFactory factory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(factory);
        var section = configuration.GetSection(ConnectionNames.Storage);
        var options = TableOptions();
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return new TableServiceClient(section.Value, options);
        }

        var serviceUri = section["tableServiceUri"]
            ?? (section["accountName"] is { Length: > 0 } account ? $"https://{account}.table.core.windows.net" : null)
            ?? throw Missing(ConnectionNames.Storage, "tableServiceUri");
        return new TableServiceClient(new Uri(serviceUri), factory.CreateTokenCredential(section), options);
    }

    public static ServiceBusClient CreateServiceBusClient(IConfiguration configuration, AzureComponentFactory factory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(factory);
        var section = configuration.GetSection(ConnectionNames.ServiceBus);
        var options = new ServiceBusClientOptions
        {
            RetryOptions = new ServiceBusRetryOptions
            {
                MaxRetries = 2,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(2),
                TryTimeout = TimeSpan.FromSeconds(10),
            },
        };
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return new ServiceBusClient(section.Value, options);
        }

        var fullyQualifiedNamespace = section["fullyQualifiedNamespace"]
            ?? throw Missing(ConnectionNames.ServiceBus, "fullyQualifiedNamespace");
        return new ServiceBusClient(fullyQualifiedNamespace, factory.CreateTokenCredential(section), options);
    }

    private static void ConfigureRetry(RetryOptions retry)
    {
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = 2;
        retry.Delay = TimeSpan.FromMilliseconds(200);
        retry.MaxDelay = TimeSpan.FromSeconds(2);
        retry.NetworkTimeout = TimeSpan.FromSeconds(10);
    }

    private static InvalidOperationException Missing(string name, string key) => new(
        $"The connection setting '{name}' is missing: set it to a connection string, or set '{name}__{key}' " +
        $"(with '{name}__credential' = managedidentity and '{name}__clientId' in Azure).");
}
