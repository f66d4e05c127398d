using Azure.Core;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Connections;

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

    public static QueueServiceClient CreateQueueServiceClient(IConfiguration configuration, AzureComponentFactory factory) =>
        CreateStorageClient(configuration, factory, "queue",
            connectionString => new QueueServiceClient(connectionString, QueueOptions()),
            (uri, credential) => new QueueServiceClient(uri, credential, QueueOptions()));

    public static BlobServiceClient CreateBlobServiceClient(IConfiguration configuration, AzureComponentFactory factory) =>
        CreateStorageClient(configuration, factory, "blob",
            connectionString => new BlobServiceClient(connectionString, BlobOptions()),
            (uri, credential) => new BlobServiceClient(uri, credential, BlobOptions()));

    public static TableServiceClient CreateTableServiceClient(IConfiguration configuration, AzureComponentFactory factory) =>
        CreateStorageClient(configuration, factory, "table",
            connectionString => new TableServiceClient(connectionString, TableOptions()),
            (uri, credential) => new TableServiceClient(uri, credential, TableOptions()));

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

    /// <summary>
    /// One storage service's client from <c>SimpleAiStorage</c>: the connection string when it is one, else
    /// <c>SimpleAiStorage__&lt;service&gt;ServiceUri</c> (or the account name) with the configured identity.
    /// </summary>
    private static TClient CreateStorageClient<TClient>(
        IConfiguration configuration,
        AzureComponentFactory factory,
        string service,
        Func<string, TClient> withConnectionString,
        Func<Uri, TokenCredential, TClient> withIdentity)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(factory);
        var section = configuration.GetSection(ConnectionNames.Storage);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return withConnectionString(section.Value);
        }

        var serviceUri = section[$"{service}ServiceUri"]
            ?? (section["accountName"] is { Length: > 0 } account ? $"https://{account}.{service}.core.windows.net" : null)
            ?? throw Missing(ConnectionNames.Storage, $"{service}ServiceUri");
        return withIdentity(new Uri(serviceUri), factory.CreateTokenCredential(section));
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

/// <summary>
/// Names of the connection settings, shared by the trigger attributes (<c>Connection = ...</c>) and the clients.
/// Each is a connection string (Azurite) or a section with <c>__queueServiceUri</c>/<c>__fullyQualifiedNamespace</c>,
/// <c>__credential</c> and <c>__clientId</c> (managed identity in Azure).
/// </summary>
public static class ConnectionNames
{
    public const string Storage = "SimpleAiStorage";
    public const string ServiceBus = "SimpleAiServiceBus";
}
