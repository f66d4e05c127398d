using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using DurableTask.Core;

namespace SimpleAi.Benchmarks;

/// <summary>
/// The peer: the Durable Task Framework (Durable Functions' engine) with its Azure Storage provider on the same
/// emulator, one <see cref="TaskHubWorker"/> in this process. A call is accepted when
/// <see cref="TaskHubClient.CreateOrchestrationInstanceAsync(Type, string, object)"/> returned (the instance row and
/// the start message are stored) and done when its third activity ran.
/// </summary>
public sealed class DurableTaskPeerEngine : IPeerEngine
{
    private const string TaskHub = "peer";

    private readonly TaskHubWorker _worker;
    private readonly TaskHubClient _client;
    private readonly Relay _relay;
    private readonly QueueServiceClient _queues;

    private DurableTaskPeerEngine(TaskHubWorker worker, TaskHubClient client, Relay relay, QueueServiceClient queues)
    {
        _worker = worker;
        _client = client;
        _relay = relay;
        _queues = queues;
    }

    /// <summary>What the worker is given: <see cref="PeerTuning"/> decides everything but the polling cap, which is host.json's for both.</summary>
    public static AzureStorageOrchestrationServiceSettings Settings(string connection, PeerTuning tuning)
    {
        ArgumentNullException.ThrowIfNull(tuning);
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(connection, new BlobClientOptions()),
                StorageServiceClientProvider.ForQueue(connection, new QueueClientOptions()),
                StorageServiceClientProvider.ForTable(connection, new TableClientOptions())),
            TaskHubName = TaskHub,
            // The same cap on an empty queue's polling as our host.json's maxPollingInterval.
            MaxQueuePollingInterval = HostJsonQueues.Read().MaxPollingInterval,
            PartitionCount = tuning.Partitions,
            MaxConcurrentTaskActivityWorkItems = tuning.ConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = tuning.ConcurrentOrchestrations,
            ExtendedSessionsEnabled = tuning.ExtendedSessions,
        };
        return settings;
    }

    public static async Task<IPeerEngine> StartAsync(string connection, PeerTuning tuning)
    {
        var service = new AzureStorageOrchestrationService(Settings(connection, tuning));
        await service.CreateIfNotExistsAsync();
        var relay = new Relay();
        var worker = new TaskHubWorker(service);
        worker.AddTaskOrchestrations(typeof(ThreeNoOpSteps));
        worker.AddTaskActivities(new NoOpStep(call => relay.Clock?.Done(call)));
        await worker.StartAsync();
        return new DurableTaskPeerEngine(worker, new TaskHubClient(service), relay, new QueueServiceClient(connection));
    }

    public async Task RunAsync(CallClock clock, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _relay.Clock = clock;
        var starts = new List<Task>();
        clock.Start();
        for (var i = 0; i < clock.Calls; i++)
        {
            var call = Guid.NewGuid().ToString("N");
            clock.Sent(call);
            starts.Add(StartOneAsync(clock, call));
        }

        await Task.WhenAll(starts);
        await clock.WaitAsync(timeout);
    }

    private async Task StartOneAsync(CallClock clock, string call)
    {
        await _client.CreateOrchestrationInstanceAsync(typeof(ThreeNoOpSteps), call, 0);
        clock.Accepted(call);
    }

    /// <summary>Waits until the task hub's control and work-item queues are empty (invisible messages count), three checks in a row.</summary>
    public async Task SettleAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        for (var quiet = 0; quiet < 3;)
        {
            var left = 0;
            await foreach (var queue in _queues.GetQueuesAsync(prefix: TaskHub + "-", cancellationToken: deadline.Token))
            {
                left += (await _queues.GetQueueClient(queue.Name).GetPropertiesAsync(deadline.Token)).Value.ApproximateMessagesCount;
            }

            quiet = left == 0 ? quiet + 1 : 0;
            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }

    /// <summary>A failed activity or orchestration never reaches the third step, so <see cref="CallClock.WaitAsync"/> is where it shows.</summary>
    public void ThrowIfFailed()
    {
    }

    public async ValueTask DisposeAsync() => await _worker.StopAsync(isForced: true);

    /// <summary>The batch being timed, set after the activity was registered.</summary>
    private sealed class Relay
    {
        public CallClock? Clock { get; set; }
    }
}
