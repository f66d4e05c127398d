namespace SimpleAi.Functions.Tests.Suites;

/// <summary>
/// Faults injected into the app's real storage pipelines to Azurite (<see cref="StorageFaults"/>), under the WebJobs
/// SDK's real queue listeners (<see cref="WorkflowHarness"/>): the process dying between any two operations of the router and of every step, storage
/// unreachable during ingest and during a step, then <c>simpleai-webhooks replay</c>. After recovery every run
/// completes and every side effect happened once (one idempotency key per step and call, what a receiver sees).
/// A slow downstream is covered by <see cref="PostCallWorkflowTests.TimeoutsAnd408And429_AreRetried"/> against a real
/// local server.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FaultSuiteTests(AzuriteFixture azurite)
{
    private static readonly Dictionary<string, int> OncePerStep = new() { ["a"] = 1, ["b"] = 1, ["c"] = 1 };

    /// <summary>
    /// Storage requests per message when nothing fails. Router: record the delivery, insert the run, send step a.
    /// Steps a and b: claim the step (from the run the message carries), (side effect), write it, send the next step.
    /// Step c: claim, (side effect), write. A message back after a crash finds the run changed: its claim fails and it
    /// reads the run.
    /// </summary>
    private static readonly (string Queue, int Operations)[] OperationsPerMessage =
        [(QueueNames.Events, 3), (QueueNames.Step("a"), 3), (QueueNames.Step("b"), 3), (QueueNames.Step("c"), 2)];

    /// <summary>
    /// Every storage request of the router and of each step, the process killed just before or just after it, and
    /// before the host's delete. The points after a hop's send of the next step took effect (just after it, or before
    /// the delete) bring the message back, which finds its hop done and sends the next step again with the same
    /// token while the first copy may be waiting or running: the real listener runs such copies at the same time
    /// (one batch), and the step's claim lets one of them run it.
    /// </summary>
    public static TheoryData<CrashPoint> EveryCrashPoint() => Points(point => point.Moment != CrashMoment.AnswerLost);

    /// <summary>
    /// Every storage request of the router and of each step, its answer lost after it took effect. A lost answer of
    /// the send of the next step makes the SDK queue a second copy with the same token.
    /// </summary>
    public static TheoryData<CrashPoint> EveryLostAnswer() => Points(point => point.Moment == CrashMoment.AnswerLost);

    private static TheoryData<CrashPoint> Points(Func<CrashPoint, bool> which)
    {
        var points = new TheoryData<CrashPoint>();
        foreach (var (queue, operations) in OperationsPerMessage)
        {
            var all = Enumerable.Range(1, operations)
                .SelectMany(operation => new[]
                {
                    new CrashPoint(queue, CrashMoment.BeforeOperation, operation),
                    new CrashPoint(queue, CrashMoment.AfterOperation, operation),
                    new CrashPoint(queue, CrashMoment.AnswerLost, operation),
                })
                .Append(new CrashPoint(queue, CrashMoment.BeforeDelete));
            foreach (var point in all.Where(which))
            {
                points.Add(point);
            }
        }

        return points;
    }

    [Theory]
    [MemberData(nameof(EveryLostAnswer))]
    public async Task AnswerLostAndRequestRetriedBySdk_RunCompletesAndEverySideEffectHappensOnce(CrashPoint point)
    {
        var (harness, callId) = await RunOneCallAsync(point);
        await using var disposing = harness;

        var run = await harness.RunOfAsync(callId);
        Assert.NotNull(run);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(OncePerStep, harness.Effects.EffectsPerStep(callId));
        // A send retried by the SDK queues two copies of a step message with the same token: the claim lets one run
        // the step, and the other drops itself (or, later, finds it done).
        Assert.Equal(3, harness.Effects.Invocations.Count(i => i.CallId == callId));
        await AssertNothingPoisonedAsync(harness);
    }

    [Theory]
    [MemberData(nameof(EveryCrashPoint))]
    public async Task ProcessKilledAtAnyPoint_RunCompletesAndEverySideEffectHappensOnce(CrashPoint point)
    {
        var (harness, callId) = await RunOneCallAsync(point);
        await using var disposing = harness;

        var run = await harness.RunOfAsync(callId);
        Assert.Equal(RunStatus.Completed, run!.Status);
        Assert.All(run.Steps.Values, s => Assert.Equal(StepStatus.Completed, s.Status));
        Assert.Equal(OncePerStep, harness.Effects.EffectsPerStep(callId));
        // Only a crash after a step's side effect and before its completion record repeats the step (same key).
        var repeated = point is { Moment: CrashMoment.BeforeOperation, Operation: 2 } && point.Queue != QueueNames.Events ? 1 : 0;
        Assert.Equal(3 + repeated, harness.Effects.Invocations.Count(i => i.CallId == callId));
        await AssertNothingPoisonedAsync(harness);
    }

    /// <summary>
    /// The process dies at the same point on every try, so the message ends in its poison queue (the host's copy;
    /// before the delete, the host poisons it without invoking the function once its dequeue count passes the limit).
    /// Then the fault goes away and every poison queue is replayed: the run completes, and a receiver sees each
    /// step's side effect once (one idempotency key per step).
    /// </summary>
    [Theory]
    [MemberData(nameof(EveryCrashPoint))]
    public async Task ProcessKilledAtThePointOnEveryTry_ThenReplay_RunCompletesAndEverySideEffectHappensOnce(CrashPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        await CreateTablesAsync();
        var faults = new StorageFaults { Crash = point, EveryTry = true };
        await using var harness = await StartAsync(faults);
        var callId = Guid.NewGuid().ToString("D");

        Assert.Equal(202, (await harness.PostAsync(WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N")), "msg_1")).Status);
        await harness.RunUntilIdleAsync();
        faults.EveryTry = false;
        foreach (var queue in new[] { QueueNames.Events }.Concat(WorkflowHarness.Steps.Select(QueueNames.Step)))
        {
            Assert.Equal(0, (await CliAsync("replay", "--queue", QueueNames.PoisonOf(queue))).Code);
            await harness.RunUntilIdleAsync();
        }

        Assert.True(faults.CrashFired, $"the fault at {point} never happened");
        var run = await harness.RunOfAsync(callId);
        Assert.Equal(RunStatus.Completed, run!.Status);
        Assert.All(run.Steps.Values, s => Assert.Equal(StepStatus.Completed, s.Status));
        Assert.Equal(OncePerStep, harness.Effects.EffectsPerStep(callId));
        if (point is not { Moment: CrashMoment.BeforeOperation, Operation: 2 } || point.Queue == QueueNames.Events)
        {
            // Only a try dying between a step's side effect and its completion record repeats it (same key).
            Assert.Equal(3, harness.Effects.Invocations.Count(i => i.CallId == callId));
        }

        await AssertNothingPoisonedAsync(harness);
    }

    [Fact]
    public async Task StorageDownDuringIngest_Is503AndAcknowledgesNothing_ThenTheRetryRunsOnce()
    {
        var faults = new StorageFaults { Outage = handling => handling is null };
        await using var harness = await StartAsync(faults);
        var callId = Guid.NewGuid().ToString("D");
        var eventId = "evt_" + Guid.NewGuid().ToString("N");
        var body = WorkflowHarness.CallCompleted(callId, eventId);

        var refused = await harness.PostAsync(body, "msg_1");
        var events = await harness.Queues.GetQueueClient(QueueNames.Events).PeekMessagesAsync(32);
        faults.Outage = _ => false;
        var retried = await harness.PostAsync(body, "msg_1");
        await harness.RunUntilIdleAsync();

        Assert.Equal(503, refused.Status);
        Assert.False(string.IsNullOrEmpty(refused.Headers.RetryAfter));
        Assert.Empty(events.Value);
        Assert.Equal(202, retried.Status);
        Assert.Equal(RunStatus.Completed, (await harness.RunOfAsync(callId))!.Status);
        Assert.Equal(OncePerStep, harness.Effects.EffectsPerStep(callId));
        Assert.Equal(3, harness.Effects.Invocations.Count(i => i.CallId == callId));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StorageDownDuringAStep_IsRetriedThenPoisoned_AndReplayCompletesTheRunOnce(bool afterTheSideEffect)
    {
        var faults = new StorageFaults();
        await using var harness = await StartAsync(faults);
        var callId = Guid.NewGuid().ToString("D");
        faults.Outage = handling => handling?.Queue == QueueNames.Step("b") && (!afterTheSideEffect || harness.Effects.InvocationsOf(callId, "b") > 0);

        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N")), "msg_1");
        await harness.RunUntilIdleAsync();
        var tries = harness.Host.Failures.Where(f => f.Queue == QueueNames.Step("b")).ToList();
        var stuck = await harness.RunOfAsync(callId);
        faults.Outage = _ => false;
        var replay = await CliAsync("replay", "--queue", QueueNames.PoisonOf(QueueNames.Step("b")));
        await harness.RunUntilIdleAsync();

        Assert.Equal(harness.Host.QueuesOptions.MaxDequeueCount, tries.Count);
        Assert.All(tries, t => Assert.IsType<AggregateException>(t.Error));
        Assert.Equal(RunStatus.Running, stuck!.Status);
        Assert.Equal(0, replay.Code);
        Assert.Contains("moved 1 message(s)", replay.Out, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Completed, (await harness.RunOfAsync(callId))!.Status);
        Assert.Equal(OncePerStep, harness.Effects.EffectsPerStep(callId));
        Assert.Equal(afterTheSideEffect ? 2 : 1, harness.Effects.InvocationsOf(callId, "b"));
        Assert.Empty(await harness.PoisonedAsync(QueueNames.Step("b")));
    }

    [Fact]
    public async Task StorageDownAfterTheDeliveryRecord_IsPoisoned_AndReplayStartsTheRunOnce()
    {
        var faults = new StorageFaults();
        await using var harness = await StartAsync(faults);
        var callId = Guid.NewGuid().ToString("D");
        // The first request (the delivery record) goes through; everything after it fails, on every try.
        faults.Outage = handling => handling?.Queue == QueueNames.Events && handling.Operations > 1;

        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N")), "msg_1");
        await harness.RunUntilIdleAsync();
        var stuck = await harness.RunOfAsync(callId);
        faults.Outage = _ => false;
        var replay = await CliAsync("replay", "--queue", QueueNames.PoisonOf(QueueNames.Events));
        await harness.RunUntilIdleAsync();

        Assert.Null(stuck);
        Assert.Contains("moved 1 message(s)", replay.Out, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Completed, (await harness.RunOfAsync(callId))!.Status);
        Assert.Equal(3, harness.Effects.Invocations.Count(i => i.CallId == callId));
        Assert.Empty(await harness.PoisonedAsync(QueueNames.Events));
    }

    [Fact]
    public async Task StorageDownWhileAStepFails_TheHostSeesTheStepsOwnError()
    {
        var faults = new StorageFaults();
        await using var harness = await StartAsync(faults);
        var callId = Guid.NewGuid().ToString("D");
        harness.Effects.FaultAfterEffect = context =>
        {
            if (context.Step != "b")
            {
                return null;
            }

            faults.Outage = handling => handling?.Queue == QueueNames.Step("b");
            return new InvalidOperationException("CRM is down");
        };

        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N")), "msg_1");
        await harness.RunUntilIdleAsync();

        var first = Assert.Single(harness.Host.Failures, f => f.Queue == QueueNames.Step("b") && f.DequeueCount == 1);
        Assert.IsType<InvalidOperationException>(first.Error);
        Assert.Contains(harness.Logs.Lines, l => l.Contains("Could not record the failure of step b", StringComparison.Ordinal));
    }

    /// <summary>Posts one call.completed with the fault armed and runs until idle; the fault must have happened.</summary>
    private async Task<(WorkflowHarness Harness, string CallId)> RunOneCallAsync(CrashPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        await CreateTablesAsync();
        var faults = new StorageFaults { Crash = point };
        var harness = await StartAsync(faults);
        var callId = Guid.NewGuid().ToString("D");

        Assert.Equal(202, (await harness.PostAsync(WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N")), "msg_1")).Status);
        await harness.RunUntilIdleAsync();

        Assert.True(faults.CrashFired, $"the fault at {point} never happened");
        return (harness, callId);
    }

    private static async Task AssertNothingPoisonedAsync(WorkflowHarness harness)
    {
        foreach (var queue in new[] { QueueNames.Events }.Concat(WorkflowHarness.Steps.Select(QueueNames.Step)))
        {
            Assert.Empty(await harness.PoisonedAsync(queue));
        }
    }

    private Task<WorkflowHarness> StartAsync(StorageFaults faults) => WorkflowHarness.Create(azurite.ConnectionString).WithFaults(faults).StartAsync();

    /// <summary>So that no table is created on first use inside a counted handling.</summary>
    private async Task CreateTablesAsync()
    {
        var tables = new TableServiceClient(azurite.ConnectionString);
        foreach (var table in new[] { TableNames.Runs, TableNames.Deliveries })
        {
            await tables.CreateTableIfNotExistsAsync(table);
        }
    }

    private Task<(int Code, string Out, string Error)> CliAsync(params string[] args) => CliRun.WithStorageAsync(azurite.ConnectionString, args);
}
