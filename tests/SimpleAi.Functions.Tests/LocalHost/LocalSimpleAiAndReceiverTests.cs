using System.Collections.Concurrent;
using SimpleAi.Cli.Local;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Functions.Tests.LocalHost;

/// <summary>
/// The CLI's local Simple AI (<c>fake-api</c>) and receiver (<c>listen</c>), started in process as the local host can
/// start them, under the app on Azurite: a call.completed runs fetch-call against the one and crm-sync into the other.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LocalSimpleAiAndReceiverTests(AzuriteFixture azurite)
{
    private const string Secret = "whsec_Y3JtLXN5bmMtc2VjcmV0LTAxMjM0NTY3ODk=";

    [Fact]
    public async Task CallCompleted_RunsOffline_AndTheReceiverGetsTheSignedDocument()
    {
        var requests = new ConcurrentQueue<LocalApiRequest>();
        var deliveries = new ConcurrentQueue<ReceivedDelivery>();
        var anyPort = new Uri("http://127.0.0.1:0");
        await using var api = await LocalSimpleAiApi.StartAsync(new LocalSimpleAiApiOptions { Url = anyPort, OnRequest = requests.Enqueue });
        await using var receiver = await LocalReceiver.StartAsync(new LocalReceiverOptions { Url = anyPort, Secret = WebhookSecret.Parse(Secret), OnDelivery = deliveries.Enqueue });
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString)
            .WithSteps("fetch-call", "crm-sync")
            .WithSimpleAiApi(api.BaseUrl)
            .WithAction("crm-sync", new Uri(receiver.Url, "crm-sync"), Secret)
            .StartAsync();
        var callId = Guid.NewGuid().ToString("D");

        var response = await harness.PostAsync(WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N")), "msg_" + callId);
        await harness.RunUntilIdleAsync(60);

        Assert.Equal(202, response.Status);
        Assert.Equal(RunStatus.Completed, (await harness.RunOfAsync(callId))!.Status);
        Assert.Equal((200, Guid.Parse(callId)), (requests.Single().Status, requests.Single().CallId));
        var delivery = Assert.Single(deliveries);
        Assert.Equal(("crm-sync", $"{callId}:crm-sync", true, 200), (delivery.Step, delivery.IdempotencyKey, delivery.SignatureValid, delivery.Status));
        using var document = JsonDocument.Parse(delivery.Body);
        Assert.Equal(callId, document.RootElement.GetProperty("call_id").GetString());
        Assert.Equal("+15551234567", document.RootElement.GetProperty("call").GetProperty("from_number").GetString());
    }
}
