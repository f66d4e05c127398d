using System.Text.Json.Nodes;
using Azure.Storage.Queues.Models;
using SimpleAi.Webhooks.Operations;
using SimpleAi.Webhooks.Transcripts;

namespace SimpleAi.Functions.Tests.Suites;

/// <summary>
/// Work decided by state, never by which queue message carried it: a replayed poison message finishes what was left,
/// a call of any size fits its run, transcript fetches survive API errors and crashes, two copies of one step
/// message run its side effect once. Each test here failed on the code before the fix it names.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RecoveryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly string ActionSecret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("recovery-secret-0123456789"));

    private FakeHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeHttpServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Hole 1: the replayed copy has a new queue message id, which the run took for another message's.</summary>
    [Fact]
    public async Task EventsMessagePoisonedAfterItsRunWasInserted_ReplayStartsTheRunOnce()
    {
        var faults = new StorageFaults();
        await using var harness = await Harness().WithFaults(faults).StartAsync();
        var callId = Guid.NewGuid().ToString("D");
        // The delivery record and the run insert go through; the send of step a fails on every try.
        faults.Outage = handling => handling?.Queue == QueueNames.Events && handling.Operations > 2;

        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, NewEventId()), "msg_1");
        await harness.RunUntilIdleAsync();
        var stuck = await harness.RunOfAsync(callId);
        faults.Outage = _ => false;
        var replay = await CliRun.WithStorageAsync(azurite.ConnectionString, "replay", "--queue", QueueNames.PoisonOf(QueueNames.Events));
        await harness.RunUntilIdleAsync();

        Assert.NotNull(stuck);
        Assert.Contains("moved 1 message(s)", replay.Out, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Completed, (await harness.RunOfAsync(callId))!.Status);
        Assert.Equal(3, harness.Effects.Invocations.Count(i => i.CallId == callId));
        Assert.Empty(await harness.PoisonedAsync(QueueNames.Events));
    }

    /// <summary>Hole 1, call.started: the replay was taken for a duplicate of a delivery already handled.</summary>
    [Fact]
    public async Task CallStartedWhoseForwardFailedOnEveryTry_ReplayForwardsIt()
    {
        _server.Default("/started", FakeResponse.Text(503));
        await using var harness = await Harness()
            .WithSetting("CallStarted:Url", _server.Url("started").ToString())
            .WithSetting("CallStarted:Secret", ActionSecret)
            .StartAsync();
        var callId = Guid.NewGuid().ToString("D");

        await harness.PostAsync(Event("call.started", callId), "msg_1");
        await harness.RunUntilIdleAsync();
        var refused = _server.To("/started").Count;
        _server.Default("/started", FakeResponse.Json("{}"));
        await CliRun.WithStorageAsync(azurite.ConnectionString, "replay", "--queue", QueueNames.PoisonOf(QueueNames.Events));
        await harness.RunUntilIdleAsync();

        Assert.True(refused > 0);
        Assert.Equal(refused + 1, _server.To("/started").Count);
        Assert.Empty(await harness.PoisonedAsync(QueueNames.Events));
    }

    /// <summary>
    /// The fault suite for <c>call.started</c> forwarding: the process killed before and after every storage request of
    /// its routing (record the delivery, index the call, record the call, mark it forwarded) and before the host's delete. The call is
    /// forwarded, under one idempotency key, and again only when the crash fell between the forward and its mark.
    /// </summary>
    [Theory]
    [MemberData(nameof(CallStartedCrashPoints))]
    public async Task ProcessKilledAtAnyPointOfACallStarted_ItIsForwardedOnce(CrashPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        var faults = new StorageFaults { Crash = point };
        await using var harness = await Harness()
            .WithFaults(faults)
            .WithSetting("CallStarted:Url", _server.Url("started").ToString())
            .WithSetting("CallStarted:Secret", ActionSecret)
            .StartAsync();
        var callId = Guid.NewGuid().ToString("D");

        await harness.PostAsync(Event("call.started", callId), "msg_1");
        await harness.RunUntilIdleAsync();

        Assert.True(faults.CrashFired, $"the fault at {point} never happened");
        var forwarded = _server.To("/started").Where(r => r.Header("Idempotency-Key") == $"{callId}:call.started").ToList();
        var repeated = point is { Moment: CrashMoment.BeforeOperation, Operation: 4 } ? 1 : 0;
        Assert.Equal(1 + repeated, forwarded.Count);
        var row = (await new TableServiceClient(azurite.ConnectionString).GetTableClient(TableNames.Calls)
            .GetEntityAsync<TableEntity>(callId, SimpleAi.Webhooks.Calls.CallRecords.RowKeyOf(callId))).Value;
        Assert.Equal("in_progress", row.GetString("Status"));
        Assert.True(row.GetBoolean("Forwarded"));
        Assert.Empty(await harness.PoisonedAsync(QueueNames.Events));
    }

    public static TheoryData<CrashPoint> CallStartedCrashPoints()
    {
        var points = new TheoryData<CrashPoint>();
        // The delivery's row, the call's index row, the call's row, the forward's mark.
        for (var operation = 1; operation <= 4; operation++)
        {
            points.Add(new CrashPoint(QueueNames.Events, CrashMoment.BeforeOperation, operation));
            points.Add(new CrashPoint(QueueNames.Events, CrashMoment.AfterOperation, operation));
        }

        points.Add(new CrashPoint(QueueNames.Events, CrashMoment.BeforeDelete));
        return points;
    }

    /// <summary>Hole 2: one analyzer result of 17,000 characters made the run write fail with PropertyValueTooLarge.</summary>
    [Fact]
    public async Task CallLargerThanATableRow_CompletesItsRun_AndTheRowStaysWithinLimits()
    {
        await using var harness = await Harness()
            .WithSteps("fetch-call", "ticket")
            .When("ticket", "analysis:Analyzer 49", "contains", "needle")
            .WithAction("ticket", _server.Url("tickets"), ActionSecret)
            .StartAsync();
        var callId = Guid.NewGuid().ToString("D");
        _server.Default($"/api/v1/calls/{callId}", FakeResponse.Json(HugeCall(callId)));

        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, NewEventId()), "msg_1");
        await harness.RunUntilIdleAsync(120);

        var run = await harness.RunOfAsync(callId);
        Assert.Equal(RunStatus.Completed, run!.Status);
        Assert.Equal(20_000, run.Data["analysis:Analyzer 49"].Length);
        Assert.Single(_server.To("/tickets"));
        Assert.Single(_server.To($"/api/v1/calls/{callId}"));
        var row = (await new TableServiceClient(azurite.ConnectionString).GetTableClient(TableNames.Runs)
            .GetEntityAsync<TableEntity>(callId, RunStore.RowKeyOf(callId))).Value;
        Assert.All(row.Select(p => p.Value).OfType<string>(), value => Assert.True(value.Length <= 32 * 1024, $"a property of {value.Length} characters"));
    }

    /// <summary>Hole 3: the schedule was cleared before the API call, so the retried message found nothing due.</summary>
    [Fact]
    public async Task TranscriptFetchMeetsAnApiError_IsRetriedAndStoresTheLines()
    {
        await using var harness = await Harness().WithSetting("SimpleAi:MaxRetries", "0").StartAsync();
        var callId = Guid.NewGuid().ToString("D");
        _server.Script($"/api/v1/calls/{callId}", FakeResponse.Text(503));
        _server.Default($"/api/v1/calls/{callId}", FakeResponse.Json(RepoPaths.FixtureBytes("get-call-completed.json")));

        await harness.PostAsync(Event("call.transcript_update", callId), "msg_1");
        await harness.RunUntilIdleAsync();

        var lines = await harness.App.GetRequiredService<TranscriptStore>().ReadLinesAsync(callId, 0, CancellationToken.None);
        Assert.Equal(TranscriptLines, lines?.Count);
        Assert.Equal(2, _server.To($"/api/v1/calls/{callId}").Count);
    }

    /// <summary>
    /// Hole 3 and the fault suite for live transcripts: the process killed before and after every storage request of
    /// a transcript update's routing and of its fetch (with a keyword trigger that matches), and before the host's
    /// delete. Every line is stored, and the trigger's step runs once.
    /// </summary>
    [Theory]
    [MemberData(nameof(TranscriptCrashPoints))]
    public async Task ProcessKilledAtAnyPointOfATranscriptUpdate_TheLinesAreStoredAndTheTriggerRunsOnce(CrashPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        var faults = new StorageFaults { Crash = point };
        await using var harness = await Harness()
            .WithFaults(faults)
            .WithSetting("Transcripts:Triggers:0:Name", "refund")
            .WithSetting("Transcripts:Triggers:0:Phrases:0", "charged twice")
            .WithSetting("Transcripts:Triggers:0:Step", "a")
            .StartAsync();
        var callId = Guid.NewGuid().ToString("D");
        _server.Default($"/api/v1/calls/{callId}", FakeResponse.Json(RepoPaths.FixtureBytes("get-call-completed.json")));

        await harness.PostAsync(Event("call.transcript_update", callId), "msg_1");
        await harness.RunUntilIdleAsync();

        Assert.True(faults.CrashFired, $"the fault at {point} never happened");
        var lines = await harness.App.GetRequiredService<TranscriptStore>().ReadLinesAsync(callId, 0, CancellationToken.None);
        Assert.Equal(TranscriptLines, lines?.Count);
        var trigger = await harness.App.GetRequiredService<RunStore>().FindAsync($"{callId}:trigger:refund", CancellationToken.None);
        Assert.Equal(RunStatus.Completed, trigger?.Status);
        Assert.Equal(1, harness.Effects.EffectsPerStep(callId).GetValueOrDefault("a"));
    }

    /// <summary>
    /// Storage requests per message. Routing a transcript update: record the delivery, read the transcript state,
    /// save the schedule, send the fetch. The fetch: read the state, mark it begun, store the lines, keep the call's
    /// snapshot, insert the trigger's run, send its step, read the state, record the line count.
    /// </summary>
    public static TheoryData<CrashPoint> TranscriptCrashPoints()
    {
        var points = new TheoryData<CrashPoint>();
        foreach (var (queue, operations) in new[] { (QueueNames.Events, 4), (QueueNames.TranscriptFetch, 8) })
        {
            for (var operation = 1; operation <= operations; operation++)
            {
                points.Add(new CrashPoint(queue, CrashMoment.BeforeOperation, operation));
                points.Add(new CrashPoint(queue, CrashMoment.AfterOperation, operation));
            }

            points.Add(new CrashPoint(queue, CrashMoment.BeforeDelete));
        }

        return points;
    }

    /// <summary>Hole 4: both copies passed the token check, which does not change while the step runs.</summary>
    [Fact]
    public async Task TwoCopiesOfAStepMessageRunningAtOnce_RunTheSideEffectOnce()
    {
        // The answer to the router's send of step a is lost: the SDK sends it again, and two copies wait side by side.
        var faults = new StorageFaults { Crash = new CrashPoint(QueueNames.Events, CrashMoment.AnswerLost, 3) };
        await using var harness = await Harness().WithFaults(faults).StartAsync();
        var callId = Guid.NewGuid().ToString("D");
        // The first copy to run step a holds its side effect open until the other copy has decided (ran or dropped).
        harness.Effects.FaultAfterEffect = context =>
        {
            if (context.Step == "a" && harness.Effects.InvocationsOf(callId, "a") == 1)
            {
                SpinWait.SpinUntil(
                    () => harness.Effects.InvocationsOf(callId, "a") > 1
                        || harness.Logs.Lines.Any(l => l.Contains("another copy of this message is running the step", StringComparison.Ordinal)),
                    TimeSpan.FromSeconds(30));
            }

            return null;
        };

        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, NewEventId()), "msg_1");
        await harness.RunUntilIdleAsync();

        Assert.True(faults.CrashFired);
        Assert.Equal(RunStatus.Completed, (await harness.RunOfAsync(callId))!.Status);
        Assert.Equal(1, harness.Effects.InvocationsOf(callId, "a"));
        Assert.Equal(3, harness.Effects.Invocations.Count(i => i.CallId == callId));
    }

    /// <summary>
    /// The host poisons a message whose last try died without invoking the function again, so the app never saw that
    /// try: the sweep fails what the host's copy left undone and keeps the copy from expiring, and replay finishes it.
    /// </summary>
    [Fact]
    public async Task HostsOwnPoisonCopy_IsFailedBySweep_KeptForever_AndReplayFinishesTheRun()
    {
        await using var harness = await Harness().StartAsync();
        var callId = Guid.NewGuid().ToString("D");
        var token = Guid.NewGuid().ToString("N");
        var run = new WorkflowRun { RunId = callId, CallId = callId, EventId = "evt_1", Status = RunStatus.Running, CreatedAt = DateTimeOffset.UtcNow };
        run.Steps["a"] = new StepState(StepStatus.Completed, "t-a");
        run.Steps["b"] = new StepState(StepStatus.Running, token, Attempts: 5, ClaimedBy: "a-message-whose-try-died", ClaimedAt: DateTimeOffset.UtcNow);
        Assert.True(await harness.App.GetRequiredService<RunStore>().TryCreateAsync(run, CancellationToken.None));
        var poison = harness.Queues.GetQueueClient(QueueNames.PoisonOf(QueueNames.Step("b")));
        // What the host's QueueProcessor does: the original text, default time-to-live (7 days).
        await poison.SendMessageAsync(new StepMessage(callId, callId, "evt_1", "b", token).Encode().ToString());
        var sweeper = harness.App.GetRequiredService<SimpleAi.Webhooks.Operations.PoisonSweeper>();

        var taken = await sweeper.SweepAsync(CancellationToken.None);
        var failed = await harness.RunOfAsync(callId);
        var kept = Assert.Single((await poison.PeekMessagesAsync(32)).Value);
        var again = await sweeper.SweepAsync(CancellationToken.None);
        var replay = await CliRun.WithStorageAsync(azurite.ConnectionString, "replay", "--queue", poison.Name);
        await harness.RunUntilIdleAsync();

        Assert.Equal(1, taken);
        Assert.Equal(RunStatus.Failed, failed!.Status);
        Assert.Equal(StepStatus.Failed, failed.Steps["b"].Status);
        Assert.Contains("gave up", failed.Steps["b"].Error, StringComparison.Ordinal);
        Assert.True(kept.ExpiresOn > DateTimeOffset.UtcNow.AddYears(100), $"expires {kept.ExpiresOn}");
        Assert.True(PoisonQueue.TryUnwrap(kept.MessageText, out _, out var queue, out _));
        Assert.Equal(QueueNames.Step("b"), queue);
        Assert.Equal(0, again);
        Assert.Contains("moved 1 message(s)", replay.Out, StringComparison.Ordinal);
        var finished = await harness.RunOfAsync(callId);
        Assert.Equal(RunStatus.Completed, finished!.Status);
        Assert.Equal(1, harness.Effects.InvocationsOf(callId, "b"));
        Assert.Equal(1, harness.Effects.InvocationsOf(callId, "c"));
    }

    /// <summary>
    /// Failure bookkeeping that does not depend on seeing the last try: every try of step b dies before the app can
    /// record anything, the host poisons the message, and the <c>PoisonSweep</c> timer (run by the real timer listener)
    /// fails the run with the reason within a minute; replay then finishes it.
    /// </summary>
    [Fact]
    public async Task RunWhoseMessageTheHostPoisons_IsFailedByTheTimerWithinAMinute_AndReplayFinishesIt()
    {
        var faults = new StorageFaults { Crash = new CrashPoint(QueueNames.Step("b"), CrashMoment.BeforeOperation, 1), EveryTry = true };
        await using var harness = await Harness()
            .WithFaults(faults)
            .WithSetting(WorkflowOptions.PoisonSweepScheduleSetting, "*/2 * * * * *")
            .StartAsync();
        var callId = Guid.NewGuid().ToString("D");

        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, NewEventId()), "msg_1");
        await harness.RunUntilIdleAsync();
        // Every try died before its first storage request, so the app itself wrote nothing: only the sweep can fail
        // the run, with the host's reason ("gave up"). It may already have, by now.
        var poisoned = DateTimeOffset.UtcNow;
        faults.EveryTry = false;
        WorkflowRun? failed = null;
        using (var minute = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            while ((failed = await harness.RunOfAsync(callId))!.Status != RunStatus.Failed)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), minute.Token);
            }
        }

        var failedAfter = DateTimeOffset.UtcNow - poisoned;
        // The sweep fails the run before it puts its wrapper in place of the host's copy: wait for the wrapper.
        var poisonB = harness.Queues.GetQueueClient(QueueNames.PoisonOf(QueueNames.Step("b")));
        PeekedMessage[] peeked = [];
        await Conditions.WaitAsync(
            async () => (peeked = (await poisonB.PeekMessagesAsync(32)).Value).Length == 1 && PoisonQueue.TryUnwrap(peeked[0].MessageText, out _, out _, out _),
            TimeSpan.FromSeconds(30),
            "the sweep's wrapper alone in step-b-poison");
        var kept = peeked[0];
        var replay = await CliRun.WithStorageAsync(azurite.ConnectionString, "replay", "--queue", QueueNames.PoisonOf(QueueNames.Step("b")));
        await harness.RunUntilIdleAsync();

        Assert.Equal(StepStatus.Failed, failed.Steps["b"].Status);
        Assert.Contains("gave up", failed.Steps["b"].Error, StringComparison.Ordinal);
        Assert.True(failedAfter < TimeSpan.FromMinutes(1), $"failed {failedAfter.TotalSeconds:F1} s after the poison");
        Assert.True(kept.ExpiresOn > DateTimeOffset.UtcNow.AddYears(100), $"the poison copy expires {kept.ExpiresOn}");
        Assert.Contains("moved 1 message(s)", replay.Out, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Completed, (await harness.RunOfAsync(callId))!.Status);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1, ["c"] = 1 }, harness.Effects.EffectsPerStep(callId));
    }

    private static int TranscriptLines =>
        JsonNode.Parse(RepoPaths.FixtureBytes("get-call-completed.json"))!["transcripts"]!.AsArray().Count;

    /// <summary>
    /// A call whose facts outgrow a Table row many times over: a 1,200-line transcript, 50 analyzers of 20,000
    /// characters each (the last one holding "needle" at its end), 200 params.
    /// </summary>
    private static byte[] HugeCall(string callId)
    {
        var call = JsonNode.Parse(RepoPaths.FixtureBytes("get-call-completed.json"))!.AsObject();
        call["id"] = callId;
        var lines = new JsonArray();
        for (var i = 0; i < 1_200; i++)
        {
            lines.Add(new JsonObject { ["text"] = $"line {i} " + new string('x', 80), ["role"] = i % 2 == 0 ? "assistant" : "user", ["timestamp"] = "2026-04-12T14:30:03Z" });
        }

        call["transcripts"] = lines;
        var analyses = new JsonArray();
        for (var i = 0; i < 50; i++)
        {
            var text = new string((char)('a' + (i % 26)), 20_000 - 6) + (i == 49 ? "needle" : "hay___");
            analyses.Add(new JsonObject { ["id"] = 1000 + i, ["analyzer_id"] = 1000 + i, ["prompt"] = $"Analyzer {i}", ["result"] = text });
        }

        call["analysis_results"] = analyses;
        var parameters = new JsonObject();
        for (var i = 0; i < 200; i++)
        {
            parameters[$"param_{i}"] = $"value {i}";
        }

        call["params"] = parameters;
        return Encoding.UTF8.GetBytes(call.ToJsonString());
    }

    private static string NewEventId() => "evt_" + Guid.NewGuid().ToString("N");

    private static byte[] Event(string type, string callId) => Encoding.UTF8.GetBytes(
        JsonSerializer.Serialize(new { event_type = type, event_id = NewEventId(), payload = new { call_id = callId, attempt = 1 } }));

    private WorkflowHarnessBuilder Harness() =>
        WorkflowHarness.Create(azurite.ConnectionString).WithSimpleAiApi(_server.Url("api/v1"));
}
