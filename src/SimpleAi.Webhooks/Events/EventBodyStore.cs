using Azure.Storage.Blobs;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Events;

/// <summary>
/// Claim check for deliveries too large to ride inside a queue message (Storage Queues take 64 KiB of text):
/// the raw body waits in Blob Storage, byte for byte, and the message carries the blob's name.
/// </summary>
public sealed class EventBodyStore(BlobServiceClient blobs)
{
    public const string Container = "event-bodies";

    /// <returns>The blob's name within <see cref="Container"/>.</returns>
    /// <exception cref="QueueUnavailableException">Blob Storage did not take the body: the event was not queued.</exception>
    public async Task<string> StoreAsync(string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        var name = $"{eventId}/{Guid.NewGuid():N}.json";
        try
        {
            await blobs.GetBlobContainerClient(Container).GetBlobClient(name).UploadAsync(BinaryData.FromBytes(body), cancellationToken);
        }
        catch (StorageResourceMissingException e)
        {
            throw new QueueUnavailableException(e.Message, e);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or HttpRequestException or IOException)
        {
            throw new QueueUnavailableException($"Blob container '{Container}' did not take the body of {eventId}.", e);
        }

        return name;
    }

    public async Task<byte[]> LoadAsync(string name, CancellationToken cancellationToken)
    {
        var content = await blobs.GetBlobContainerClient(Container).GetBlobClient(name).DownloadContentAsync(cancellationToken);
        return content.Value.Content.ToArray();
    }
}
