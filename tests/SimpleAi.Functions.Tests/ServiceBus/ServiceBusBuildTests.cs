using SimpleAi.Webhooks.Connections;

namespace SimpleAi.Functions.Tests.ServiceBus;

/// <summary>The queue triggers of both builds: the same queues, each naming its own transport's connection.</summary>
public sealed class ServiceBusBuildTests
{
    [Fact]
    public void ServiceBusBuild_TriggersEveryQueueOfTheStorageBuild_WithTheServiceBusConnection()
    {
        var storage = ServiceBusBuild.Triggers(typeof(FunctionsBuild).Assembly, "QueueTriggerAttribute", "QueueName");

        var serviceBus = ServiceBusBuild.TriggerConnections();

        Assert.NotEmpty(storage);
        Assert.Equal(storage.Keys.Order(), serviceBus.Keys.Order());
        Assert.All(storage.Values, connection => Assert.Equal(ConnectionNames.Storage, connection));
        Assert.All(serviceBus.Values, connection => Assert.Equal(ConnectionNames.ServiceBus, connection));
    }
}
