using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace SimpleAi.Functions.Tests.Lifecycle;

/// <summary>
/// The app's table, blob and queue clients to one Azurite, with a per-call pipeline policy that counts every storage
/// request and, when <see cref="CrashAt"/> says so, dies as the fault suite's crash does (a <see cref="SimulatedCrashException"/>
/// outside the SDK's retries) just before or just after the numbered request.
/// </summary>
internal sealed class CountingStorage
{
    private readonly RequestPolicy _policy;

    public CountingStorage(string connectionString)
    {
        _policy = new RequestPolicy(this);
        var tables = AzureConnections.TableOptions();
        var blobs = AzureConnections.BlobOptions();
        var queues = AzureConnections.QueueOptions();
        foreach (var options in new ClientOptions[] { tables, blobs, queues })
        {
            options.AddPolicy(_policy, HttpPipelinePosition.PerCall);
        }

        Tables = new TableServiceClient(connectionString, tables);
        Blobs = new BlobServiceClient(connectionString, blobs);
        Queues = new QueueServiceClient(connectionString, queues);
    }

    public TableServiceClient Tables { get; }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    /// <summary>Requests sent since the last <see cref="Reset"/>.</summary>
    public int Requests => Volatile.Read(ref _policy.Count);

    /// <summary>The request (numbered from 1 after <see cref="Reset"/>) to die at, and whether after it took effect.</summary>
    public (int Request, bool After)? CrashAt { get; set; }

    public void Reset() => Interlocked.Exchange(ref _policy.Count, 0);

    private sealed class RequestPolicy(CountingStorage storage) : HttpPipelinePolicy
    {
        public int Count;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The lifecycle's storage calls are asynchronous.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var number = Interlocked.Increment(ref Count);
            if (storage.CrashAt is { After: false } before && before.Request == number)
            {
                throw new SimulatedCrashException($"before {message.Request.Method} {message.Request.Uri.Path}");
            }

            await ProcessNextAsync(message, pipeline);
            if (storage.CrashAt is { After: true } after && after.Request == number)
            {
                throw new SimulatedCrashException($"after {message.Request.Method} {message.Request.Uri.Path}");
            }
        }
    }
}
