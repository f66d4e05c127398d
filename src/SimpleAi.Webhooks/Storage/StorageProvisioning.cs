using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Storage;

/// <summary>
/// Every queue (with its poison queue), table and blob container the app uses, created if absent. In Azure the Bicep
/// provisions them; the local host and the tests call this once at start, never the hot path.
/// </summary>
public static class StorageProvisioning
{
    public static readonly IReadOnlyList<string> Tables =
        [TableNames.Deliveries, TableNames.Runs, TableNames.Contacts, TableNames.Transcripts, TableNames.Calls];

    public static readonly IReadOnlyList<string> Containers =
        [EventBodyStore.Container, CallSnapshotStore.Container, RunStore.DataContainer];

    /// <summary>The queues of <c>events</c>, <c>transcript-fetch</c> and every step, each with its poison queue.</summary>
    public static IEnumerable<string> Queues(IEnumerable<string> steps) =>
        new[] { QueueNames.Events, QueueNames.TranscriptFetch }.Concat(steps.Select(QueueNames.Step))
            .SelectMany(queue => new[] { queue, QueueNames.PoisonOf(queue) });

    public static async Task EnsureAsync(
        QueueServiceClient queues, TableServiceClient tables, BlobServiceClient blobs, IEnumerable<string> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(blobs);
        foreach (var queue in Queues(steps))
        {
            await queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

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
