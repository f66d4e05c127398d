using System.Globalization;
using SimpleAi.Webhooks.Destinations;
using Xunit.Abstractions;

namespace SimpleAi.Functions.Tests.Outbound;

/// <summary>
/// Outbound delivery as the webhook gateways do it, end to end under the WebJobs queue listeners on Azurite: the
/// Simple AI API and the CRM played by a local HTTP server, a workflow of <c>fetch-call</c> then <c>crm-sync</c>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OutboundDeliveryTests(AzuriteFixture azurite, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Crm = "/crm";
    private const string Secret = "whsec_Y3JtLXN5bmMtc2VjcmV0LTAxMjM0NTY3ODk=";

    private FakeHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeHttpServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>
    /// The CRM down for longer than the host's five tries (six failed tries of every call; ten minutes of the default
    /// schedule are four), with the default schedule's nine tries compressed to 1 s apart: every run completes on a
    /// later try, none is poisoned, no replay, and the run records each try. On the host's retries every run was
    /// poisoned at its fifth failure.
    /// </summary>
    [Fact]
    public async Task EndpointDownLongerThanTheHostsTries_EveryRunCompletes_NonePoisoned()
    {
        await using var harness = await Harness()
            .WithSetting("Actions:crm_sync:RetrySchedule", "1s,1s,1s,1s,1s,1s,1s,1s")
            .WithSetting("Destinations:PauseAfterFailures", "1000")
            .StartAsync();
        _server.Default(Crm, FakeResponse.Text(503, "down for maintenance"));
        var calls = Enumerable.Range(0, 10).Select(_ => NewCall()).ToList();

        foreach (var call in calls)
        {
            await PostAsync(harness, call);
        }

        await Conditions.WaitAsync(
            async () => calls.All(call => _server.To(Crm).Count(r => r.Header("Idempotency-Key") == $"{call}:crm-sync") >= 6)
                || (await harness.PoisonedAsync(QueueNames.Step("crm-sync"))).Count > 0,
            TimeSpan.FromSeconds(90), "every call's crm-sync failed six times");
        _server.Default(Crm, FakeResponse.Json("{}"));
        await harness.RunUntilIdleAsync(120);

        Assert.Empty(await harness.PoisonedAsync(QueueNames.Step("crm-sync")));
        foreach (var call in calls)
        {
            var run = (await harness.RunOfAsync(call))!;
            var crm = run.Steps["crm-sync"];
            Assert.Equal(RunStatus.Completed, run.Status);
            Assert.InRange(crm.Attempts, 7, 9);
            Assert.Equal(crm.Attempts, crm.Tries!.Count);
            Assert.All(crm.Tries.SkipLast(1), t => Assert.Contains("answered 503 Service Unavailable", t.Outcome, StringComparison.Ordinal));
            Assert.All(crm.Tries.SkipLast(1), t => Assert.NotNull(t.NextAt));
            Assert.Equal("completed", crm.Tries[^1].Outcome);
        }
    }

    /// <summary>
    /// A 503 asking <c>Retry-After: 7</c> is tried again no sooner than 7 s later, whatever the schedule says, and
    /// <c>status</c> shows both tries.
    /// </summary>
    [Fact]
    public async Task RetryAfterSeven_IsWaitedNotUndercut()
    {
        await using var harness = await Harness().WithSetting("Actions:crm_sync:RetrySchedule", "1s").StartAsync();
        _server.Script(Crm, FakeResponse.Text(503) with { Headers = new Dictionary<string, string> { ["Retry-After"] = "7" } });
        var call = NewCall();

        await PostAsync(harness, call);
        await harness.RunUntilIdleAsync(60);

        var tries = _server.To(Crm);
        Assert.Equal(2, tries.Count);
        Assert.True(tries[1].At - tries[0].At >= TimeSpan.FromSeconds(7), $"tried again after {(tries[1].At - tries[0].At).TotalSeconds:0.00} s");
        var first = (await harness.RunOfAsync(call))!.Steps["crm-sync"].Tries![0];
        Assert.Equal(TimeSpan.FromSeconds(7), first.NextAt - first.At);
        var (code, status, _) = await CliRun.WithStorageAsync(azurite.ConnectionString, "status", call);
        Assert.Equal(0, code);
        Assert.Matches(@"try 1 +\S+ \S+ +the crm-sync endpoint \(127\.0\.0\.1\) answered 503 Service Unavailable; try 2 of 2 in 00:00:07 +next try ", status);
        Assert.Matches(@"try 2 +\S+ \S+ +completed", status);
    }

    /// <summary>
    /// A schedule that runs out fails the run with the last status, after exactly its tries, and poisons the message
    /// for a replay.
    /// </summary>
    [Fact]
    public async Task ScheduleExhausted_FailsTheRunWithTheLastStatus()
    {
        await using var harness = await Harness().WithSetting("Actions:crm_sync:RetrySchedule", "1s,1s").StartAsync();
        _server.Default(Crm, FakeResponse.Text(502, "bad gateway"));
        var call = NewCall();

        await PostAsync(harness, call);
        await harness.RunUntilIdleAsync(60);

        Assert.Equal(3, _server.To(Crm).Count);
        var run = (await harness.RunOfAsync(call))!;
        Assert.Equal((RunStatus.Failed, 3), (run.Status, run.Steps["crm-sync"].Attempts));
        Assert.Contains("answered 502 Bad Gateway, on the last of its 3 tries", run.Steps["crm-sync"].Error, StringComparison.Ordinal);
        Assert.Contains("failed for good", Assert.Single(await harness.PoisonedAsync(QueueNames.Step("crm-sync"))), StringComparison.Ordinal);
    }

    /// <summary>
    /// 300 calls against <c>MaxPerSecond: 20</c>, half of them received by each of two app instances sharing the
    /// storage account: the CRM never sees more than 20 requests (+1 of tolerance) in any one-second window, gets every
    /// call exactly once, and no run fails.
    /// </summary>
    [Fact]
    public async Task ThreeHundredCallsAtTwentyASecond_TwoInstances_NeverOverTheLimit()
    {
        // SIMPLEAI_BURST_CALLS / SIMPLEAI_BURST_RATE try a larger burst (README gives the largest tried).
        var count = int.TryParse(Environment.GetEnvironmentVariable("SIMPLEAI_BURST_CALLS"), out var burst) ? burst : 300;
        var limit = int.TryParse(Environment.GetEnvironmentVariable("SIMPLEAI_BURST_RATE"), out var rate) ? rate : 20;
        var limited = limit.ToString(CultureInfo.InvariantCulture);
        await using var first = await Harness().WithSetting("Actions:crm_sync:MaxPerSecond", limited).StartAsync();
        await using var second = await Harness().WithSetting("Actions:crm_sync:MaxPerSecond", limited).AsSecondInstance().StartAsync();
        var ids = Enumerable.Range(0, count).Select(_ => NewCall()).ToList();

        await Parallel.ForEachAsync(ids.Select((call, i) => (call, i)), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, _) =>
            await PostAsync(c.i % 2 == 0 ? first : second, c.call));
        await Conditions.WaitAsync(() => _server.To(Crm).Count >= count, TimeSpan.FromSeconds(180 + (count / limit)), $"{count} deliveries to the CRM");
        await Task.WhenAll(first.RunUntilIdleAsync(60), second.RunUntilIdleAsync(60));

        var received = _server.To(Crm).OrderBy(r => r.At).ToList();
        Assert.Equal(count, received.Select(r => r.Header("Idempotency-Key")).Distinct().Count());
        Assert.Equal(count, received.Count);
        var busiest = received.Max(r => received.Count(o => o.At >= r.At && o.At < r.At + TimeSpan.FromSeconds(1)));
        var order = received.Select(r => ids.IndexOf(r.Header("Idempotency-Key").Split(':')[0])).ToList();
        var displacement = order.Select((posted, delivered) => Math.Abs(posted - delivered)).ToList();
        var gaps = received.Zip(received.Skip(1), (a, b) => (b.At - a.At).TotalMilliseconds).Order().ToList();
        output.WriteLine("per second: " + string.Join(" ", received.GroupBy(r => (int)(r.At - received[0].At).TotalSeconds).Select(g => g.Count())));
        output.WriteLine($"gaps ms: min {gaps[0]:0.0} p1 {gaps[gaps.Count / 100]:0.0} p5 {gaps[gaps.Count / 20]:0.0} p50 {gaps[gaps.Count / 2]:0.0}");
        output.WriteLine(
            $"{count} delivered over {(received[^1].At - received[0].At).TotalSeconds:0.0} s; busiest second {busiest}; " +
            $"order displacement median {displacement.Order().ElementAt(count / 2)}, max {displacement.Max()}");
        // The tolerance: one more than the limit when the two ends' scheduling jitter exceeds the pacing's headroom
        // (two intervals, 110 ms), as it does at times here with both instances, Azurite's client and the receiver
        // sharing two cores.
        Assert.True(busiest <= limit + 1, $"{busiest} requests in one second");
        // Roughly in order of arrival: the calls reach crm-sync in the order fetch-call finishes them.
        Assert.True(displacement.Order().ElementAt(count / 2) <= limit, $"median displacement {displacement.Order().ElementAt(count / 2)}");
        Assert.Empty(await first.PoisonedAsync(QueueNames.Step("crm-sync")));
    }

    /// <summary>
    /// The CRM failing every delivery: after 20 failures in a row it pauses, deliveries wait without spending their
    /// schedule (six tries 1 s apart, far shorter than the pause) while one probe at a time fails, and when a probe
    /// gets a 2xx it resumes and every waiting delivery goes out on its own: nothing poisoned, nothing lost.
    /// </summary>
    [Fact]
    public async Task DestinationFailingTwentyTimesInARow_PausesThenResumesAfterAProbe_NothingLost()
    {
        await using var harness = await Harness()
            .WithSetting("Actions:crm_sync:RetrySchedule", "1s,1s,1s,1s,1s")
            .WithSetting("Destinations:RecheckSeconds", "1")
            .WithSetting("Destinations:FirstProbeSeconds", "2")
            .StartAsync();
        var gate = harness.App.GetRequiredService<DestinationGate>();
        _server.Default(Crm, FakeResponse.Text(503, "down"));
        var calls = Enumerable.Range(0, 25).Select(_ => NewCall()).ToList();

        foreach (var call in calls)
        {
            await PostAsync(harness, call);
        }

        await Conditions.WaitAsync(async () => await CrmAsync(gate) is { IsPaused: true }, TimeSpan.FromSeconds(60), "crm-sync paused");
        var atPause = _server.To(Crm).Count;
        // Two probes fail (2 s, then 4 s later): longer than the five seconds the schedule's six tries would take.
        await Conditions.WaitAsync(
            async () => await CrmAsync(gate) is { ProbeDelay.TotalSeconds: >= 8 }, TimeSpan.FromSeconds(60), "two failed probes");
        var duringPause = _server.To(Crm).Count;
        _server.Default(Crm, FakeResponse.Json("{}"));
        await Conditions.WaitAsync(async () => await CrmAsync(gate) is { IsPaused: false }, TimeSpan.FromSeconds(60), "crm-sync resumed");
        await harness.RunUntilIdleAsync(120);

        Assert.Empty(await harness.PoisonedAsync(QueueNames.Step("crm-sync")));
        foreach (var call in calls)
        {
            var run = (await harness.RunOfAsync(call))!;
            Assert.Equal(RunStatus.Completed, run.Status);
            Assert.InRange(run.Steps["crm-sync"].Attempts, 1, 6);
        }

        output.WriteLine($"{atPause} requests until the pause, {duringPause - atPause} while paused, {_server.To(Crm).Count - duringPause} after");
        // While paused only the probes (and deliveries already past the gate when it paused) reach the CRM.
        Assert.InRange(duringPause - atPause, 2, 8);
        Assert.Equal(calls.Count, _server.To(Crm).Skip(duringPause).Count(r => r.Header("Idempotency-Key").EndsWith(":crm-sync", StringComparison.Ordinal)));
        Assert.Contains(harness.Logs.Lines, m => m.Contains("crm-sync", StringComparison.Ordinal) && m.Contains("paused", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(harness.Logs.Lines, m => m.Contains("crm-sync", StringComparison.Ordinal) && m.Contains("resumed", StringComparison.OrdinalIgnoreCase));
    }

    private static string NewCall() => Guid.NewGuid().ToString("D");

    private static async Task<DestinationState?> CrmAsync(DestinationGate gate) =>
        (await gate.ListAsync(CancellationToken.None)).SingleOrDefault(d => d.Name == "crm-sync");

    private async Task PostAsync(WorkflowHarness harness, string callId)
    {
        _server.Default($"/api/v1/calls/{callId}", FakeResponse.Json(RepoPaths.FixtureBytes("get-call-completed.json")));
        var response = await harness.PostAsync(WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N")), "msg_" + callId);
        Assert.Equal(202, response.Status);
    }

    /// <summary>fetch-call, crm-sync on the local server; a second instance of the app (<see cref="WorkflowHarnessBuilder.AsSecondInstance"/>) shares the first one's queues and rows.</summary>
    private WorkflowHarnessBuilder Harness() =>
        WorkflowHarness.Create(azurite.ConnectionString)
            .WithSteps("fetch-call", "crm-sync")
            .WithSimpleAiApi(_server.Url("api/v1"))
            .WithAction("crm-sync", _server.Url(Crm), Secret);
}
