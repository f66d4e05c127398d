using Azure.Storage.Queues;
using SimpleAi.Testing;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Functions.Tests;

/// <summary>The test-side host for queue triggers must behave like the Functions host, or end-to-end tests lie.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class QueueTriggerDispatcherTests(AzuriteFixture azurite)
{
    private static readonly HostQueueSettings Fast = new(MaxDequeueCount: 3, VisibilityTimeout: TimeSpan.Zero, BatchSize: 16);

    private readonly QueueServiceClient _service = new(azurite.ConnectionString, AzureConnections.QueueOptions());

    private async Task<QueueClient> NewQueueAsync(params string[] messages)
    {
        var queue = _service.GetQueueClient("dispatch-" + Guid.NewGuid().ToString("N")[..12]);
        await queue.CreateAsync();
        foreach (var message in messages)
        {
            await queue.SendMessageAsync(message);
        }

        return queue;
    }

    [Fact]
    public async Task Success_InvokesOnceAndDeletes()
    {
        var queue = await NewQueueAsync("a", "b", "c");
        var seen = new List<string>();
        var dispatcher = new QueueTriggerDispatcher(_service, Fast)
            .On(queue.Name, (message, _) => { lock (seen) { seen.Add(message.MessageText); } return Task.CompletedTask; });

        await dispatcher.RunUntilIdleAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["a", "b", "c"], seen.Order());
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task TransientFailure_IsRetriedWithTheNextDequeueCount()
    {
        var queue = await NewQueueAsync("flaky");
        var dequeueCounts = new List<long>();
        var dispatcher = new QueueTriggerDispatcher(_service, Fast).On(queue.Name, (message, _) =>
        {
            dequeueCounts.Add(message.DequeueCount);
            return message.DequeueCount < 2 ? throw new InvalidOperationException("transient") : Task.CompletedTask;
        });

        await dispatcher.RunUntilIdleAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([1L, 2L], dequeueCounts);
        Assert.False(await _service.GetQueueClient(QueueNames.PoisonOf(queue.Name)).ExistsAsync());
    }

    [Fact]
    public async Task PersistentFailure_MovesToPoisonAfterMaxDequeueCount()
    {
        var queue = await NewQueueAsync("{\"v\":1}");
        var dispatcher = new QueueTriggerDispatcher(_service, Fast)
            .On(queue.Name, (_, _) => throw new InvalidOperationException("always"));

        await dispatcher.RunUntilIdleAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([1L, 2L, 3L], dispatcher.Failures.Select(f => f.DequeueCount));
        var poisoned = (await _service.GetQueueClient(QueueNames.PoisonOf(queue.Name)).ReceiveMessagesAsync(10)).Value;
        Assert.Equal("{\"v\":1}", Assert.Single(poisoned).MessageText);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task FailedMessage_StaysInvisibleForTheVisibilityTimeout()
    {
        var queue = await NewQueueAsync("later");
        var dispatcher = new QueueTriggerDispatcher(_service, Fast with { VisibilityTimeout = TimeSpan.FromMinutes(5) })
            .On(queue.Name, (_, _) => throw new InvalidOperationException("fails"));

        Assert.Equal(1, await dispatcher.RunOnceAsync());
        Assert.Equal(0, await dispatcher.RunOnceAsync());

        Assert.Equal(1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public void Settings_ComeFromHostJson()
    {
        var settings = HostQueueSettings.FromHostJson();

        Assert.Equal(new HostQueueSettings(5, TimeSpan.FromSeconds(30), 16), settings);
    }
}
