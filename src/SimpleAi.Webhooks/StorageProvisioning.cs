using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Storage;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks;

/// <summary>
/// Every table, blob container and queue the app uses (each feature's, so it lives with the list of features), created if absent: once, where the app starts (in Azure the Bicep
/// provisions them; the local host and the test host call this at start), never on the hot path. The app itself never
/// creates storage: a missing resource is a <see cref="StorageResourceMissingException"/> naming it.
/// </summary>
public static class StorageProvisioning
{
    public static readonly IReadOnlyList<string> Tables =
        [TableNames.Deliveries, TableNames.Runs, TableNames.Contacts, TableNames.Transcripts, TableNames.Calls, TableNames.RateLimits, TableNames.Destinations, TableNames.CallIndex, TableNames.PreCalls, TableNames.Lifecycle];

    public static readonly IReadOnlyList<string> Containers =
        [EventBodyStore.Container, CallSnapshotStore.Container, RunStore.DataContainer];

    public static async Task EnsureAsync(TableServiceClient tables, BlobServiceClient blobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(blobs);
        foreach (var table in Tables)
        {
            await tables.CreateTableIfNotExistsAsync(table, cancellationToken);
        }

        foreach (var container in Containers)
        {
            await blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
    }

    /// <summary>Each queue and its poison queue (<see cref="QueueNames.PoisonOf"/>).</summary>
    public static async Task EnsureQueuesAsync(QueueServiceClient queues, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names.SelectMany(n => new[] { n, QueueNames.PoisonOf(n) }))
        {
            await queues.GetQueueClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
    }
}
