using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Destinations;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Storage;
using SimpleAi.Webhooks.Telemetry;

namespace SimpleAi.Webhooks.Tests.Destinations;

/// <summary>
/// The destination gate on Azurite with a fake clock: two gates sharing the table are two app instances. Every test
/// has its own destination name, so tests sharing the fixture's table never see each other's rows.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DestinationGateTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Unavailable = "503 Service Unavailable";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

    private readonly string _destination = "crm-" + Guid.NewGuid().ToString("N")[..12];

    private readonly RequestCounter _requests = new();

    private readonly RecordingLoggerProvider _logs = new();

    public async Task InitializeAsync() =>
        await new TableServiceClient(azurite.ConnectionString, AzureConnections.TableOptions()).CreateTableIfNotExistsAsync(TableNames.Destinations);

    public Task DisposeAsync() => Task.CompletedTask;

    private DestinationGate Instance(int recheckSeconds = 60)
    {
        var options = AzureConnections.TableOptions();
        options.AddPolicy(_requests, HttpPipelinePosition.PerCall);
        var loggers = LoggerFactory.Create(logging => logging.AddProvider(_logs));
        return new DestinationGate(
            new TableServiceClient(azurite.ConnectionString, options),
            Options.Create(new DestinationOptions { RecheckSeconds = recheckSeconds }),
            _time,
            loggers.CreateLogger<DestinationGate>());
    }

    private async Task<bool> FailAsync(DestinationGate gate, int times)
    {
        var paused = false;
        for (var i = 0; i < times; i++)
        {
            Assert.Equal(GateAction.Go, (await gate.BeforeAsync(_destination, $"call-{i}:crm-sync", CancellationToken.None)).Action);
            paused = await gate.FailedAsync(_destination, Unavailable, wasProbe: false, CancellationToken.None);
        }

        return paused;
    }

    private async Task<DestinationState> RowAsync(DestinationGate gate) =>
        Assert.Single(await gate.ListAsync(CancellationToken.None), s => s.Name == _destination);

    [Fact]
    public async Task NineteenFailuresInARow_LeaveTheDestinationActive()
    {
        var gate = Instance();

        var paused = await FailAsync(gate, 19);

        Assert.False(paused);
        Assert.Equal(GateAction.Go, (await gate.BeforeAsync(_destination, "call-x:crm-sync", CancellationToken.None)).Action);
        var row = await RowAsync(gate);
        Assert.Equal(DestinationStatus.Active, row.Status);
        Assert.Equal(19, row.FailureStreak);
        Assert.Equal(Unavailable, row.LastError);
    }

    [Fact]
    public async Task TwentyFailuresInARow_PauseTheDestination_AndDeliveriesWaitForTheFirstProbe()
    {
        var gate = Instance();

        var paused = await FailAsync(gate, 20);
        var decision = await gate.BeforeAsync(_destination, "call-x:crm-sync", CancellationToken.None);

        Assert.True(paused);
        Assert.Equal(GateAction.Wait, decision.Action);
        Assert.Equal(DestinationRules.FirstProbeDelay, decision.Wait);
        Assert.Contains("paused after 20 failures in a row (last: 503 Service Unavailable)", decision.Reason, StringComparison.Ordinal);
        var row = await RowAsync(gate);
        Assert.Equal(DestinationPausedBy.Failures, row.PausedBy);
        Assert.Equal(_time.GetUtcNow(), row.PausedAt);
        Assert.Equal(_time.GetUtcNow() + DestinationRules.FirstProbeDelay, row.NextProbeAt);
    }

    [Fact]
    public async Task ASuccessBetweenFailures_ResetsTheStreak()
    {
        var gate = Instance();
        await FailAsync(gate, 19);

        await gate.SucceededAsync(_destination, wasProbe: false, CancellationToken.None);
        var paused = await FailAsync(gate, 19);

        Assert.False(paused);
        Assert.Equal(19, (await RowAsync(gate)).FailureStreak);
    }

    [Fact]
    public async Task ConcurrentFailuresOnTwoInstances_PauseOnce_WithoutFailingADelivery()
    {
        var (first, second) = (Instance(), Instance());

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            (i % 2 == 0 ? first : second).FailedAsync(_destination, Unavailable, wasProbe: false, CancellationToken.None)));

        var row = await RowAsync(first);
        Assert.Equal(DestinationStatus.Paused, row.Status);
        Assert.Equal(20, row.FailureStreak);
        Assert.Contains(true, answers);
        Assert.Single(_logs.Lines, l => l.Contains($"Destination {_destination} paused after", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APausedDestination_WaitsAtMostTheRecheckTime()
    {
        var gate = Instance(recheckSeconds: 10);
        await FailAsync(gate, 20);

        var decision = await gate.BeforeAsync(_destination, "call-x:crm-sync", CancellationToken.None);

        Assert.Equal(GateAction.Wait, decision.Action);
        Assert.Equal(TimeSpan.FromSeconds(10), decision.Wait);
    }

    [Fact]
    public async Task ConcurrentDeliveriesOnTwoInstances_WhenTheProbeIsDue_GetExactlyOneProbe()
    {
        var (first, second) = (Instance(), Instance());
        await FailAsync(first, 20);
        await second.BeforeAsync(_destination, "call-warm:crm-sync", CancellationToken.None);
        _time.Advance(DestinationRules.FirstProbeDelay);

        var decisions = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            (i % 2 == 0 ? first : second).BeforeAsync(_destination, $"call-{i}:crm-sync", CancellationToken.None)));

        Assert.Single(decisions, d => d.Action == GateAction.Probe);
        Assert.Equal(15, decisions.Count(d => d.Action == GateAction.Wait));
    }

    [Fact]
    public async Task AProbeThatSucceeds_ResumesTheDestination_OnEveryInstanceWithinTheCacheTime()
    {
        var (first, second) = (Instance(), Instance());
        await FailAsync(first, 20);
        Assert.Equal(GateAction.Wait, (await second.BeforeAsync(_destination, "call-a:crm-sync", CancellationToken.None)).Action);
        _time.Advance(DestinationRules.FirstProbeDelay);
        Assert.Equal(GateAction.Probe, (await first.BeforeAsync(_destination, "call-probe:crm-sync", CancellationToken.None)).Action);

        await first.SucceededAsync(_destination, wasProbe: true, CancellationToken.None);
        _time.Advance(DestinationGate.CacheTime);

        Assert.Equal(GateAction.Go, (await first.BeforeAsync(_destination, "call-b:crm-sync", CancellationToken.None)).Action);
        Assert.Equal(GateAction.Go, (await second.BeforeAsync(_destination, "call-a:crm-sync", CancellationToken.None)).Action);
        var row = await RowAsync(first);
        Assert.Equal(DestinationStatus.Active, row.Status);
        Assert.Equal(0, row.FailureStreak);
        Assert.Null(row.ProbeClaimedBy);
    }

    [Fact]
    public async Task AProbeThatFails_StaysPaused_AndTheNextProbeBacksOffDoublingToTenMinutes()
    {
        var gate = Instance(recheckSeconds: 3600);
        await FailAsync(gate, 20);
        var waits = new List<TimeSpan>();

        for (var probe = 0; probe < 6; probe++)
        {
            _time.Advance(waits.LastOrDefault(DestinationRules.FirstProbeDelay));
            Assert.Equal(GateAction.Probe, (await gate.BeforeAsync(_destination, $"call-{probe}:crm-sync", CancellationToken.None)).Action);
            Assert.True(await gate.FailedAsync(_destination, Unavailable, wasProbe: true, CancellationToken.None));
            waits.Add((await gate.BeforeAsync(_destination, "call-other:crm-sync", CancellationToken.None)).Wait);
        }

        Assert.Equal([60, 120, 240, 480, 600, 600], waits.Select(w => w.TotalSeconds));
        Assert.Equal(DestinationStatus.Paused, (await RowAsync(gate)).Status);
    }

    [Fact]
    public async Task AProbeClaimWhoseHolderVanished_IsTakenOverAfterItsLease()
    {
        var (first, second) = (Instance(), Instance());
        await FailAsync(first, 20);
        _time.Advance(DestinationRules.FirstProbeDelay);
        Assert.Equal(GateAction.Probe, (await first.BeforeAsync(_destination, "call-lost:crm-sync", CancellationToken.None)).Action);

        _time.Advance(DestinationRules.ProbeLease - TimeSpan.FromSeconds(1));
        var beforeExpiry = await second.BeforeAsync(_destination, "call-next:crm-sync", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        var afterExpiry = await second.BeforeAsync(_destination, "call-next:crm-sync", CancellationToken.None);

        Assert.Equal(GateAction.Wait, beforeExpiry.Action);
        Assert.Equal(TimeSpan.FromSeconds(1), beforeExpiry.Wait);
        Assert.Equal(GateAction.Probe, afterExpiry.Action);
        Assert.Equal("call-next:crm-sync", (await RowAsync(second)).ProbeClaimedBy);
    }

    [Fact]
    public async Task AProbeOfAStepWithALongTimeout_KeepsItsClaimForTwiceThatTimeout()
    {
        var (first, second) = (Instance(), Instance());
        var actionTimeout = TimeSpan.FromSeconds(180);
        await FailAsync(first, 20);
        _time.Advance(DestinationRules.FirstProbeDelay);
        Assert.Equal(GateAction.Probe, (await first.BeforeAsync(_destination, "call-slow:crm-sync", actionTimeout, CancellationToken.None)).Action);

        _time.Advance(TimeSpan.FromMinutes(5));
        var whileTheProbeMayRun = await second.BeforeAsync(_destination, "call-next:crm-sync", actionTimeout, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        var afterSixMinutes = await second.BeforeAsync(_destination, "call-next:crm-sync", actionTimeout, CancellationToken.None);

        Assert.Equal(GateAction.Wait, whileTheProbeMayRun.Action);
        Assert.Equal(GateAction.Probe, afterSixMinutes.Action);
    }

    [Fact]
    public async Task AnOperatorsPause_HoldsDeliveriesWithoutProbes_UntilTheOperatorResumes()
    {
        var (app, cli) = (Instance(), Instance());
        Assert.Equal(GateAction.Go, (await app.BeforeAsync(_destination, "call-a:crm-sync", CancellationToken.None)).Action);

        await cli.PauseAsync(_destination, "CRM maintenance", CancellationToken.None);
        _time.Advance(DestinationGate.CacheTime);
        var paused = await app.BeforeAsync(_destination, "call-a:crm-sync", CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(5));
        var hoursLater = await app.BeforeAsync(_destination, "call-a:crm-sync", CancellationToken.None);
        await app.SucceededAsync(_destination, wasProbe: false, CancellationToken.None);
        await cli.ResumeAsync(_destination, CancellationToken.None);
        _time.Advance(DestinationGate.CacheTime);
        var resumed = await app.BeforeAsync(_destination, "call-a:crm-sync", CancellationToken.None);

        Assert.Equal(GateAction.Wait, paused.Action);
        Assert.Contains("paused by an operator: CRM maintenance", paused.Reason, StringComparison.Ordinal);
        Assert.Equal(GateAction.Wait, hoursLater.Action);
        Assert.Equal(GateAction.Go, resumed.Action);
    }

    [Fact]
    public async Task ARowDeletedUnderTheGate_IsWrittenAfresh()
    {
        var gate = Instance();
        await FailAsync(gate, 3);
        await new TableServiceClient(azurite.ConnectionString, AzureConnections.TableOptions())
            .GetTableClient(TableNames.Destinations).DeleteEntityAsync(_destination, _destination);

        var paused = await gate.FailedAsync(_destination, Unavailable, wasProbe: false, CancellationToken.None);

        Assert.False(paused);
        Assert.Equal(1, (await RowAsync(gate)).FailureStreak);
    }

    [Fact]
    public async Task AHealthyDestination_BeforeAndSucceeded_MakeNoStorageRequestWithinTheCacheTime()
    {
        var gate = Instance();
        await gate.BeforeAsync(_destination, "call-first:crm-sync", CancellationToken.None);
        await gate.SucceededAsync(_destination, wasProbe: false, CancellationToken.None);
        var afterFirst = _requests.Count;

        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(GateAction.Go, (await gate.BeforeAsync(_destination, $"call-{i}:crm-sync", CancellationToken.None)).Action);
            await gate.SucceededAsync(_destination, wasProbe: false, CancellationToken.None);
        }

        var withinCache = _requests.Count - afterFirst;
        _time.Advance(DestinationGate.CacheTime);
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => gate.BeforeAsync(_destination, $"call-{i}:crm-sync", CancellationToken.None)));
        var afterExpiry = _requests.Count - afterFirst - withinCache;

        // The first delivery: a read and the row's insert, then its success recorded (one write; issue 22: the last
        // success was never recorded for a healthy destination); the next 200 within the cache time: no request.
        Assert.Equal(3, afterFirst);
        Assert.Equal(0, withinCache);
        Assert.Equal(1, afterExpiry);
    }

    [Fact]
    public async Task PauseAndResume_AreCountedAndLogged_WithoutTheUrlInAReason()
    {
        var changes = new ConcurrentQueue<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == WebhookTelemetry.Name && instrument.Name == "simpleai.webhooks.destination.state_changes")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var dimensions = tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString());
            if (dimensions["destination"] == _destination)
            {
                changes.Enqueue($"{dimensions["state"]}/{dimensions["by"]}/{value}");
            }
        });
        listener.Start();
        var gate = Instance();

        for (var i = 0; i < 20; i++)
        {
            await gate.FailedAsync(_destination, "connection refused (https://hooks.example.test/T000/secret-path)", wasProbe: false, CancellationToken.None);
        }

        _time.Advance(DestinationRules.FirstProbeDelay);
        Assert.Equal(GateAction.Probe, (await gate.BeforeAsync(_destination, "call-probe:crm-sync", CancellationToken.None)).Action);
        await gate.SucceededAsync(_destination, wasProbe: true, CancellationToken.None);
        await gate.PauseAsync(_destination, "by hand", CancellationToken.None);
        await gate.ResumeAsync(_destination, CancellationToken.None);

        Assert.Equal(["paused/failures/1", "resumed/probe/1", "paused/operator/1", "resumed/operator/1"], changes);
        var lines = _logs.Lines.Where(l => l.Contains(_destination, StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.StartsWith("Warning", StringComparison.Ordinal)
            && l.Contains("paused after 20 failures in a row (last: connection refused ((url)))", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Information", StringComparison.Ordinal) && l.Contains("resumed by probe", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("paused by an operator (by hand)", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Everything, l => l.Contains("secret-path", StringComparison.Ordinal));
        Assert.DoesNotContain("secret-path", (await RowAsync(gate)).LastError ?? string.Empty, StringComparison.Ordinal);
    }

    /// <summary>Counts every request the gate's table client sends.</summary>
    private sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }
}
