using Azure.Storage.Blobs;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Events;

namespace SimpleAi.Functions.Tests.Calls;

/// <summary>
/// <c>call.started</c> is forwarded once per call even when two deliveries of it run at the same moment (a duplicate in
/// the listener's batch): the second finds the first's claim and leaves the forward to it; a claim past its lease,
/// or held by the same queue message (its redelivery after a failed forward), is taken over.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CallStartedForwardTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private FakeHttpServer _server = null!;
    private ServiceProvider _app = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeHttpServer.StartAsync();
        var settings = TestApp.Settings(azurite.ConnectionString);
        settings["CallStarted:Url"] = _server.Url("started").ToString();
        settings["CallStarted:Secret"] = TestSigning.OtherSecret;
        _app = TestApp.Build(settings);
        await StorageProvisioning.EnsureAsync(_app.GetRequiredService<TableServiceClient>(), _app.GetRequiredService<BlobServiceClient>(), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task TwoDeliveriesAtTheSameMoment_ForwardTheCallOnce()
    {
        // A slow receiver: the first delivery is still forwarding when the second reads the row.
        _server.Default("/started", FakeResponse.Json("{}") with { Delay = TimeSpan.FromMilliseconds(500) });
        var calls = _app.GetRequiredService<CallRecords>();
        var started = Started(Guid.NewGuid().ToString("D"));

        await Task.WhenAll(
            calls.StartedAsync(started, "queue-message-1", CancellationToken.None),
            calls.StartedAsync(started with { EventId = "evt_other" }, "queue-message-2", CancellationToken.None));

        Assert.Single(_server.To("/started"));
    }

    [Fact]
    public async Task ClaimOfADeliveryThatDied_IsTakenOverAfterItsLease()
    {
        var callId = Guid.NewGuid().ToString("D");
        await ClaimedRowAsync(callId, "queue-message-that-died", DateTimeOffset.UtcNow - _app.GetRequiredService<CallRecords>().ForwardLease - TimeSpan.FromMinutes(1));

        await _app.GetRequiredService<CallRecords>().StartedAsync(Started(callId), "queue-message-2", CancellationToken.None);

        Assert.Single(_server.To("/started"));
    }

    [Fact]
    public async Task LiveClaimOfAnotherDelivery_IsLeftToIt_ButTheClaimersRedeliveryForwards()
    {
        var callId = Guid.NewGuid().ToString("D");
        await ClaimedRowAsync(callId, "queue-message-1", DateTimeOffset.UtcNow);
        var calls = _app.GetRequiredService<CallRecords>();

        await calls.StartedAsync(Started(callId), "queue-message-2", CancellationToken.None);
        var byAnother = _server.To("/started").Count;
        await calls.StartedAsync(Started(callId), "queue-message-1", CancellationToken.None);

        Assert.Equal(0, byAnother);
        Assert.Single(_server.To("/started"));
    }

    [Fact]
    public async Task ForwardBody_IsUtf8WithOnlyTheEscapesJsonRequires()
    {
        var callId = Guid.NewGuid().ToString("D");

        await _app.GetRequiredService<CallRecords>().StartedAsync(Started(callId) with { EventId = "evt_Zoë+📞" }, "queue-message-1", CancellationToken.None);

        var body = System.Text.Encoding.UTF8.GetString(Assert.Single(_server.To("/started")).Body);
        Assert.Contains("\"event_id\":\"evt_Zoë+📞\"", body, StringComparison.Ordinal);
    }

    private static EventMessage Started(string callId) =>
        new("evt_started", EventTypes.CallStarted, callId, 1, null, DateTimeOffset.UtcNow, null, null, RepoPaths.FixtureBytes("webhook-call-started.json"));

    private async Task ClaimedRowAsync(string callId, string claimer, DateTimeOffset claimedAt) =>
        await _app.GetRequiredService<TableServiceClient>().GetTableClient(TableNames.Calls).AddEntityAsync(
            new TableEntity(callId, CallRecords.RowKeyOf(callId))
            {
                ["Status"] = "in_progress",
                ["ForwardClaimedBy"] = claimer,
                ["ForwardClaimedAt"] = claimedAt,
            });
}
