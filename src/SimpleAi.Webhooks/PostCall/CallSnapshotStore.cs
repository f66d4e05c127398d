using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using SimpleAi.Webhooks.SimpleAiApi;

namespace SimpleAi.Webhooks.PostCall;

/// <summary>The fetched call, byte for byte as the API sent it, in Blob Storage (claim check); runs keep its name.</summary>
public class CallSnapshotStore(BlobServiceClient blobs)
{
    public const string Container = "call-snapshots";

    /// <summary>The run data key that holds the snapshot's name (<see cref="SaveAsync"/> returns it).</summary>
    public const string RunDataKey = "snapshot";

    public virtual async Task<string> SaveAsync(string callId, byte[] json, CancellationToken cancellationToken)
    {
        var name = $"{callId}.json";
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } };
        await blobs.GetBlobContainerClient(Container).GetBlobClient(name).UploadAsync(BinaryData.FromBytes(json), options, cancellationToken);
        return name;
    }

    public virtual async Task<SimpleAiCall> LoadAsync(string name, CancellationToken cancellationToken)
    {
        var content = await blobs.GetBlobContainerClient(Container).GetBlobClient(name).DownloadContentAsync(cancellationToken);
        return content.Value.Content.ToObjectFromJson<SimpleAiCall>(SimpleAiClient.JsonOptions)
            ?? throw new InvalidOperationException($"The snapshot {name} holds JSON null.");
    }
}
