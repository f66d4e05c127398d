using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace SimpleAi.Functions.Tests.Storage;

/// <summary>
/// Storage is provisioned once (Bicep, the local host and the test host at start): ingest and a whole workflow, run
/// under the real queue listener, send no request that creates a table, a queue or a blob container.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class NoCreateOnHotPathTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task IngestAndAWholeWorkflow_CreateNoTableQueueOrContainer()
    {
        var recorder = new RequestRecorder();
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString)
            .WithServices(services => recorder.Register(services, azurite.ConnectionString))
            .StartAsync();
        var callId = Guid.NewGuid().ToString("D");

        var response = await harness.PostAsync(WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N")), "msg_no_create");
        await harness.RunUntilIdleAsync();

        Assert.Equal(202, response.Status);
        Assert.Equal(RunStatus.Completed, (await harness.RunOfAsync(callId))!.Status);
        Assert.Contains(recorder.Requests, r => r.StartsWith("POST ", StringComparison.Ordinal) && r.Contains("/events/messages", StringComparison.Ordinal));
        Assert.DoesNotContain(recorder.Requests, IsCreate);
    }

    [Fact]
    public async Task CreateRequests_AreRecognisedAsCreates()
    {
        var recorder = new RequestRecorder();
        var name = "scratch" + Guid.NewGuid().ToString("N")[..12];

        await new TableServiceClient(azurite.ConnectionString, Recorded(AzureConnections.TableOptions(), recorder)).CreateTableIfNotExistsAsync(name);
        await new QueueServiceClient(azurite.ConnectionString, Recorded(AzureConnections.QueueOptions(), recorder)).GetQueueClient(name).CreateIfNotExistsAsync();
        await new BlobServiceClient(azurite.ConnectionString, Recorded(AzureConnections.BlobOptions(), recorder)).GetBlobContainerClient(name).CreateIfNotExistsAsync();

        Assert.Equal(3, recorder.Requests.Count(IsCreate));
    }

    /// <summary>Table create (POST …/Tables), queue create (PUT …/queue), container create (PUT …?restype=container).</summary>
    private static bool IsCreate(string request)
    {
        var (method, path, query) = (request.Split(' ')[0], request.Split(' ')[1], request.Split(' ')[2]);
        var last = path.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1];
        return (method == "POST" && last == "Tables")
            || (method == "PUT" && query.Contains("restype=container", StringComparison.Ordinal) && !query.Contains("comp=", StringComparison.Ordinal))
            || (method == "PUT" && query.Length <= 1 && last != "messages" && !last.Contains('(', StringComparison.Ordinal) && path.Count(c => c == '/') == 2);
    }

    private static T Recorded<T>(T options, RequestRecorder recorder)
        where T : ClientOptions
    {
        options.AddPolicy(recorder, HttpPipelinePosition.PerRetry);
        return options;
    }

    /// <summary>Every storage request the app sends: method, path and query.</summary>
    private sealed class RequestRecorder : HttpPipelineSynchronousPolicy
    {
        public ConcurrentQueue<string> Requests { get; } = new();

        /// <summary>The app's table, queue and blob clients, each recording into this.</summary>
        public void Register(IServiceCollection services, string connection) => services
            .AddSingleton(new TableServiceClient(connection, Recorded(AzureConnections.TableOptions(), this)))
            .AddSingleton(new QueueServiceClient(connection, Recorded(AzureConnections.QueueOptions(), this)))
            .AddSingleton(new BlobServiceClient(connection, Recorded(AzureConnections.BlobOptions(), this)));

        public override void OnSendingRequest(HttpMessage message)
        {
            var uri = message.Request.Uri.ToUri();
            Requests.Enqueue($"{message.Request.Method} {uri.AbsolutePath} ?{uri.Query.TrimStart('?')}");
        }
    }
}
