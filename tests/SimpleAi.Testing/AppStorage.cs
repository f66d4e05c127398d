using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using SimpleAi.Functions;
using SimpleAi.LocalHost.Metadata;
using SimpleAi.Webhooks;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Testing;

/// <summary>
/// The test host's provisioning, as the Bicep's in Azure: every table and container, and the queue of every
/// queue-triggered function of the app (with its poison queue), created once when the storage starts.
/// </summary>
public static class AppStorage
{
    public static async Task ProvisionAsync(string connectionString)
    {
        await StorageProvisioning.EnsureAsync(new TableServiceClient(connectionString), new BlobServiceClient(connectionString), CancellationToken.None);
        await StorageProvisioning.EnsureQueuesAsync(new QueueServiceClient(connectionString), TriggerQueues(), CancellationToken.None);
    }

    /// <summary>The queues the app's functions (functions.metadata, as the host reads it) are triggered by.</summary>
    public static IReadOnlyList<string> TriggerQueues()
    {
        var app = typeof(HttpFunctions).Assembly;
        var metadata = Path.Combine(Path.GetDirectoryName(app.Location)!, FunctionMetadataReader.FileName);
        return [.. FunctionMetadataReader.Read(metadata, app).Select(f => f.QueueName).OfType<string>().Distinct(StringComparer.Ordinal)];
    }
}
