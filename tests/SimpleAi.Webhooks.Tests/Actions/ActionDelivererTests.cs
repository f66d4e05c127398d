using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Actions.Transformations;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Destinations;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Signing;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Tests.Actions;

/// <summary>One delivery through the gate, the rate limiter and a real local receiver, on Azurite with a fake clock.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ActionDelivererTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

    private readonly string _destination = "crm-" + Guid.NewGuid().ToString("N")[..12];

    private FakeHttpServer _server = null!;

    private TableServiceClient Tables => new(azurite.ConnectionString, AzureConnections.TableOptions());

    public async Task InitializeAsync()
    {
        await Tables.CreateTableIfNotExistsAsync(TableNames.Destinations);
        _server = await FakeHttpServer.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private DestinationGate Gate() =>
        new(Tables, Options.Create(new DestinationOptions()), _time, NullLogger<DestinationGate>.Instance);

    /// <summary>
    /// Another instance pauses the destination while this delivery is in flight, and the first probe is due by the time
    /// it fails: the gate hands this delivery the probe, so it must go back to probe at once, not sit on the claim
    /// through its retry delay (other deliveries cannot probe until the claim's lease, at least 2 minutes, runs out).
    /// </summary>
    [Fact]
    public async Task FailureThatFindsTheDestinationPausedWithItsProbeDue_ComesBackAtOnceAsTheProbe()
    {
        var answer = new TaskCompletionSource();
        _server.Default("/crm", FakeResponse.Text(503, "down") with { AnswerAfter = answer.Task });
        var mine = Gate();
        var other = Gate();
        using var clients = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var deliverer = new ActionDeliverer(
            clients.GetRequiredService<IHttpClientFactory>(), mine, new DestinationRateLimiter(Tables, _time), _time, NullLogger<ActionDeliverer>.Instance);
        var endpoint = new ActionEndpointOptions { Url = _server.Url("crm"), Secret = TestSigning.Secret };
        var context = new StepContext("run-1", "call-1", "evt-1", _destination, new Dictionary<string, string>(), Attempt: 1, "call-1:" + _destination);

        var delivering = deliverer.DeliverAsync(_destination, endpoint, context, OutboundRequest.Post(endpoint.Url, "{}"u8.ToArray()), CancellationToken.None);
        await Conditions.WaitAsync(() => !_server.Requests.IsEmpty, TimeSpan.FromSeconds(10), "the delivery in flight");
        for (var i = 0; i < 20; i++)
        {
            await other.BeforeAsync(_destination, $"call-{i}:other", CancellationToken.None);
            await other.FailedAsync(_destination, "503 Service Unavailable", wasProbe: false, CancellationToken.None);
        }

        _time.Advance(DestinationRules.FirstProbeDelay + TimeSpan.FromSeconds(1));
        answer.SetResult();
        var deferred = await Assert.ThrowsAsync<StepDeferredException>(() => delivering);

        Assert.False(deferred.SpendsTry, deferred.Message);
        Assert.Equal(TimeSpan.Zero, deferred.Delay);
        Assert.Equal(GateAction.Probe, (await mine.BeforeAsync(_destination, context.IdempotencyKey, CancellationToken.None)).Action);
    }

    /// <summary>
    /// The gate judges another delivery's probe claim by this step's timeout (the claim lasts twice it): a step given 180 s
    /// leaves a probe claimed 150 s ago alone, where the default lease (2 minutes) would have taken it over.
    /// </summary>
    [Fact]
    public async Task ProbeClaimedByAnotherDelivery_IsLeftAloneForTwiceTheStepsTimeout()
    {
        _server.Default("/crm", FakeResponse.Text(200, "ok"));
        var other = Gate();
        using var clients = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var deliverer = new ActionDeliverer(
            clients.GetRequiredService<IHttpClientFactory>(), Gate(), new DestinationRateLimiter(Tables, _time), _time, NullLogger<ActionDeliverer>.Instance);
        var endpoint = new ActionEndpointOptions { Url = _server.Url("crm"), Secret = TestSigning.Secret, TimeoutSeconds = 180 };
        var context = new StepContext("run-1", "call-1", "evt-1", _destination, new Dictionary<string, string>(), Attempt: 1, "call-1:" + _destination);
        for (var i = 0; i < 20; i++)
        {
            await other.BeforeAsync(_destination, $"call-{i}:other", CancellationToken.None);
            await other.FailedAsync(_destination, "503 Service Unavailable", wasProbe: false, CancellationToken.None);
        }

        _time.Advance(DestinationRules.FirstProbeDelay);
        Assert.Equal(GateAction.Probe, (await other.BeforeAsync(_destination, "call-probe:other", CancellationToken.None)).Action);
        _time.Advance(TimeSpan.FromSeconds(150));
        var deferred = await Assert.ThrowsAsync<StepDeferredException>(
            () => deliverer.DeliverAsync(_destination, endpoint, context, OutboundRequest.Post(endpoint.Url, "{}"u8.ToArray()), CancellationToken.None));

        Assert.False(deferred.SpendsTry, deferred.Message);
        Assert.Empty(_server.Requests);
    }
}
