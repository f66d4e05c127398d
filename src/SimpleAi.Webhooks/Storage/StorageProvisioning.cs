using Azure.Data.Tables;
using Azure.Storage.Blobs;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Storage;

/// <summary>
/// Every table and blob container the app uses, created if absent. In Azure the Bicep provisions them; the local host
/// calls this once at start (it creates the queues it listens on, with their poison queues, itself), never the hot path.
/// </summary>
public static class StorageProvisioning
{
    public static readonly IReadOnlyList<string> Tables =
        [TableNames.Deliveries, TableNames.Runs, TableNames.Contacts, TableNames.Transcripts, TableNames.Calls, TableNames.RateLimits, TableNames.Destinations];

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
}
