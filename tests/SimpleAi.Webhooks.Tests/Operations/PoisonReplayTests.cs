using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Operations;

namespace SimpleAi.Webhooks.Tests.Operations;

[Collection(AzuriteCollection.Name)]
public sealed class PoisonReplayTests(AzuriteFixture azurite)
{
    private static string Wrapper(string queue, string message) => JsonSerializer.Serialize(
        new Dictionary<string, string> { ["reason"] = "failed for good", ["queue"] = queue, ["message"] = message });

    [Theory]
    [InlineData("{\"call_id\":\"c-1\",\"step\":\"b\"}", "step-b", "{\"call_id\":\"c-1\",\"step\":\"b\"}", "c-1", null)]
    [InlineData("not json", "step-b", "not json", null, null)]
    [InlineData("{\"reason\":\"bad\",\"queue\":\"events\",\"message\":\"{\\\"call_id\\\":\\\"c-2\\\"}\"}", "events", "{\"call_id\":\"c-2\"}", "c-2", "bad")]
    [InlineData("{\"reason\":\"bad\",\"message\":\"x\"}", "step-b", "x", null, "bad")]
    public void Read_UnwrapsTheAppsWrapper_AndTakesAnythingElseAsItIs(
        string text, string target, string replayed, string? callId, string? reason)
    {
        var message = ReplayedMessage.Read("step-b-poison", "m-1", text);

        Assert.Equal(new ReplayedMessage("m-1", target, replayed, callId, reason), message);
    }

    /// <summary>
    /// A replay that fails midway (here: the wrapper names a queue that is not there) gives back the messages it only
    /// looked at, so the next replay or sweep sees them at once instead of after their 30-second lock.
    /// </summary>
    [Fact]
    public async Task ReplayThatFailsMidway_GivesBackAtOnceWhatItOnlyLookedAt()
    {
        var queues = new QueueServiceClient(azurite.ConnectionString, AzureConnections.QueueOptions());
        var poison = queues.GetQueueClient("step-replay-" + Guid.NewGuid().ToString("N")[..12] + "-poison");
        await poison.CreateAsync();
        var otherCall = (await poison.SendMessageAsync(Wrapper("step-b", "{\"call_id\":\"other\"}"))).Value.MessageId;
        await poison.SendMessageAsync(Wrapper("missing-" + Guid.NewGuid().ToString("N")[..12], "{\"call_id\":\"mine\"}"));
        var bookkeeping = new PoisonBookkeeping(
            new RunStore(new TableServiceClient(azurite.ConnectionString), new BlobServiceClient(azurite.ConnectionString)),
            TimeProvider.System,
            NullLogger<PoisonBookkeeping>.Instance);

        await Assert.ThrowsAnyAsync<RequestFailedException>(
            () => new PoisonReplay(queues, bookkeeping).RunAsync(poison.Name, 10, dryRun: false, callId: "mine", CancellationToken.None));

        var visible = (await poison.PeekMessagesAsync(32)).Value;
        Assert.Equal(otherCall, Assert.Single(visible).MessageId);
    }
}
