using Azure.Storage.Queues;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Webhooks.Tests.Queues;

[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueSenderTests(AzuriteFixture azurite)
{
    private static OutboundMessage Message(string queue, string body) =>
        new(queue, BinaryData.FromString(body), "evt_1", "call.completed", new Dictionary<string, string>());

    /// <summary>A queue as the Bicep (or the local host) provisions it: the sender never creates one (issue 16).</summary>
    private static async Task<string> ProvisionedQueueAsync(QueueServiceClient service)
    {
        var name = "sender-" + Guid.NewGuid().ToString("N")[..12];
        await service.GetQueueClient(name).CreateAsync();
        return name;
    }

    [Fact]
    public async Task Send_DeliversTheBodyAsText()
    {
        var service = new QueueServiceClient(azurite.ConnectionString, AzureConnections.QueueOptions());
        var name = await ProvisionedQueueAsync(service);
        var sender = new StorageQueueSender(service);

        await sender.SendAsync(Message(name, "{\"v\":1}"), CancellationToken.None);

        var received = (await service.GetQueueClient(name).ReceiveMessagesAsync(1)).Value.Single();
        Assert.Equal("{\"v\":1}", received.MessageText);
    }

    [Fact]
    public async Task Send_MessagesNeverExpire()
    {
        var service = new QueueServiceClient(azurite.ConnectionString, AzureConnections.QueueOptions());
        var name = await ProvisionedQueueAsync(service);

        await new StorageQueueSender(service).SendAsync(Message(name, "{}"), CancellationToken.None);

        var peeked = (await service.GetQueueClient(name).ReceiveMessagesAsync(1)).Value.Single();
        Assert.True(peeked.ExpiresOn > DateTimeOffset.UtcNow.AddYears(100), $"expires {peeked.ExpiresOn}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task UnreachableStorage_BecomesQueueUnavailable(int retries)
    {
        // With retries, Azure.Core throws an AggregateException rather than a RequestFailedException.
        var options = AzureConnections.QueueOptions();
        options.Retry.MaxRetries = retries;
        var unreachable = new QueueServiceClient(new Uri($"http://127.0.0.1:{ClosedPort.Find()}/devstoreaccount1"), options);

        await Assert.ThrowsAsync<QueueUnavailableException>(
            () => new StorageQueueSender(unreachable).SendAsync(Message("events", "{}"), CancellationToken.None));
    }
}
