using System.Globalization;
using SimpleAi.Webhooks.Operations;
using SimpleAi.Webhooks.Routing;

namespace SimpleAi.Functions.Tests.Workflow;

/// <summary>
/// A signed event posted to WebhookIngest, routed by RouteEvent and run through a three-step workflow, all on
/// Azurite under the WebJobs SDK's real queue listeners. "Exactly once" is checked twice: distinct idempotency keys per step
/// (what a receiving endpoint sees) and, where no crash repeats a step, the raw number of invocations. Crashes at
/// every point of the router and of each step are in <see cref="FaultSuiteTests"/>; here, crashes combined with duplicates.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkflowEndToEndTests(AzuriteFixture azurite)
{
    private static readonly Dictionary<string, int> OncePerStep = new() { ["a"] = 1, ["b"] = 1, ["c"] = 1 };

    private static string NewCallId() => Guid.NewGuid().ToString("D");

    private static string NewEventId() => "evt_" + Guid.NewGuid().ToString("N");

    private static async Task AssertRunCompletedAsync(WorkflowHarness harness, string callId)
    {
        var run = await harness.RunOfAsync(callId);
        Assert.NotNull(run);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.All(run.Steps.Values, s => Assert.Contains(s.Status, new[] { StepStatus.Completed, StepStatus.Skipped }));
    }

    [Fact]
    public async Task SignedCallCompleted_RunsEveryStepOnceInOrder()
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        var callId = NewCallId();

        Assert.Equal(202, (await harness.PostAsync(WorkflowHarness.CallCompleted(callId, NewEventId()), "msg_1")).Status);
        await harness.RunUntilIdleAsync();

        Assert.Equal(["a", "b", "c"], harness.Effects.Invocations.Where(i => i.CallId == callId).Select(i => i.Step));
        Assert.Equal($"{callId}:b", harness.Effects.Invocations.Single(i => i.CallId == callId && i.Step == "b").IdempotencyKey);
        await AssertRunCompletedAsync(harness, callId);
        var run = await harness.RunOfAsync(callId);
        Assert.Equal("true", run!.Data["a_done"]);
        Assert.Empty(harness.Host.Failures);
    }

    [Fact]
    public async Task SameEventDeliveredThreeTimes_RunsOnce()
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        var callId = NewCallId();
        var body = WorkflowHarness.CallCompleted(callId, NewEventId());

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(202, (await harness.PostAsync(body, "msg_same")).Status);
        }

        await harness.RunUntilIdleAsync();

        Assert.Equal(OncePerStep, harness.Effects.EffectsPerStep(callId));
        Assert.Equal(3, harness.Effects.Invocations.Count(i => i.CallId == callId));
        Assert.Contains(harness.Logs.Lines, l => l.Contains("Duplicate delivery", StringComparison.Ordinal));
        await AssertRunCompletedAsync(harness, callId);
    }

    [Fact]
    public async Task TwoEventIdsForOneCall_StartOneRun()
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        var callId = NewCallId();

        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, NewEventId()), "msg_1");
        await harness.RunUntilIdleAsync();
        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, NewEventId(), attempt: 2), "msg_2");
        await harness.RunUntilIdleAsync();

        Assert.Equal(3, harness.Effects.Invocations.Count(i => i.CallId == callId));
        await AssertRunCompletedAsync(harness, callId);
    }

    [Fact]
    public async Task ManyDeliveriesAtOnce_RunEachCallOnce()
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        var calls = Enumerable.Range(0, 5).Select(_ => NewCallId()).ToList();
        var posts = calls.SelectMany(call =>
        {
            var sameEvent = WorkflowHarness.CallCompleted(call, NewEventId());
            return Enumerable.Range(0, 6).Select(i => i % 2 == 0
                ? (Body: sameEvent, Id: "msg_same")
                : (Body: WorkflowHarness.CallCompleted(call, NewEventId(), attempt: i), Id: $"msg_{i}"));
        });

        var statuses = await Task.WhenAll(posts.Select(p => harness.PostAsync(p.Body, p.Id)));
        await harness.RunUntilIdleAsync(120);

        Assert.All(statuses, s => Assert.Equal(202, s.Status));
        foreach (var call in calls)
        {
            Assert.Equal(OncePerStep, harness.Effects.EffectsPerStep(call));
            Assert.Equal(3, harness.Effects.Invocations.Count(i => i.CallId == call));
            await AssertRunCompletedAsync(harness, call);
        }
    }

    [Fact]
    public async Task CrashAfterDeliveryRecordBeforeRunInsert_StartsTheRunOnRetry()
    {
        var crashed = 0;
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString)
            .WithServices(services => services.AddSingleton<RunStore>(provider => new FaultyRunStore(
                provider.GetRequiredService<TableServiceClient>(),
                provider.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>(),
                _ => Interlocked.Exchange(ref crashed, 1) == 0)))
            .StartAsync();
        var callId = NewCallId();
        var body = WorkflowHarness.CallCompleted(callId, NewEventId());

        await harness.PostAsync(body, "msg_1");
        await harness.PostAsync(body, "msg_1");
        await harness.RunUntilIdleAsync();

        Assert.Equal(1, crashed);
        Assert.Equal(3, harness.Effects.Invocations.Count(i => i.CallId == callId));
        await AssertRunCompletedAsync(harness, callId);
    }

    [Fact]
    public async Task CrashAfterRunInsertBeforeFirstEnqueue_ResendsTheFirstStepOnce()
    {
        var crashed = 0;
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString)
            .WithServices(services => services.AddSingleton<IQueueSender>(provider => new FaultyQueueSender(
                new StorageQueueSender(provider.GetRequiredService<Azure.Storage.Queues.QueueServiceClient>()),
                message => message.QueueName == QueueNames.Step("a") && Interlocked.Exchange(ref crashed, 1) == 0)))
            .StartAsync();
        var callId = NewCallId();
        var body = WorkflowHarness.CallCompleted(callId, NewEventId());

        await harness.PostAsync(body, "msg_1");
        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, NewEventId()), "msg_2");
        await harness.RunUntilIdleAsync();

        Assert.Equal(1, crashed);
        Assert.Equal(3, harness.Effects.Invocations.Count(i => i.CallId == callId));
        await AssertRunCompletedAsync(harness, callId);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("b")]
    [InlineData("c")]
    public async Task DuplicateStepMessagesAfterTheRun_HaveNoEffect(string step)
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        var callId = NewCallId();
        var eventId = NewEventId();
        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, eventId), "msg_1");
        await harness.RunUntilIdleAsync();
        var driverToken = (await harness.RunOfAsync(callId))!.Steps[step].Token!;
        var queue = harness.Queues.GetQueueClient(QueueNames.Step(step));

        // An exact copy of the message that drove the step (a queue may deliver twice), and a stray one.
        await queue.SendMessageAsync(new StepMessage(callId, callId, eventId, step, driverToken).Encode().ToString());
        await queue.SendMessageAsync(new StepMessage(callId, callId, eventId, step, "stray-token").Encode().ToString());
        await harness.RunUntilIdleAsync();

        Assert.Equal(3, harness.Effects.Invocations.Count(i => i.CallId == callId));
        Assert.Empty(await harness.PoisonedAsync(QueueNames.Step(step)));
        await AssertRunCompletedAsync(harness, callId);
    }

    [Fact]
    public async Task DuplicateStepMessagesInFlightTogether_RunTheStepOnce()
    {
        // The router's message for step a goes out with four copies of other tokens, all held invisible for the same
        // second, so that they become visible together and the listener receives them in one batch, which it runs
        // concurrently (the WebJobs listener starts every message of a batch at once).
        var sent = 0;
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString)
            .WithServices(services => services.AddSingleton<IQueueSender>(provider => new CopyingQueueSender(
                new StorageQueueSender(provider.GetRequiredService<Azure.Storage.Queues.QueueServiceClient>()),
                message => message.QueueName == QueueNames.Step("a") && Interlocked.Exchange(ref sent, 1) == 0
                    ? [.. Enumerable.Range(0, 4).Select(i => StepCopy(message, $"copy-{i}")), message]
                    : [message])))
            .StartAsync();
        var callId = NewCallId();

        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, NewEventId()), "msg_1");
        await harness.RunUntilIdleAsync();

        Assert.Equal(1, sent);
        Assert.Equal(1, harness.Effects.InvocationsOf(callId, "a"));
        Assert.Equal(OncePerStep, harness.Effects.EffectsPerStep(callId));
        await AssertRunCompletedAsync(harness, callId);

        static OutboundMessage StepCopy(OutboundMessage message, string token)
        {
            Assert.True(StepMessage.TryDecode(message.Body.ToString(), out var step, out _));
            return message with { Body = (step with { Token = token }).Encode() };
        }
    }

    /// <summary>
    /// The last try is the host's, whether host.json says it or an app setting overrides host.json per environment
    /// (AzureFunctionsJobHost__extensions__queues__maxDequeueCount, as the Functions host applies it): on it the run is
    /// failed with the step's own error, and the host poisons the message after it.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData(2)]
    [InlineData(7)]
    public async Task StepFailingEveryTime_IsPoisonedAfterTheHostsLastTryAndFailsTheRun(int? maxDequeueCountSetting)
    {
        var app = WorkflowHarness.Create(azurite.ConnectionString);
        if (maxDequeueCountSetting is { } tries)
        {
            app.WithSetting("AzureFunctionsJobHost:extensions:queues:maxDequeueCount", tries.ToString(CultureInfo.InvariantCulture));
        }

        await using var harness = await app.StartAsync();
        harness.Effects.FaultAfterEffect = context => context.Step == "b" ? new InvalidOperationException("CRM is down") : null;
        var callId = NewCallId();

        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, NewEventId()), "msg_1");
        await harness.RunUntilIdleAsync();

        var maxDequeueCount = maxDequeueCountSetting ?? SimpleAi.LocalHost.HostJson.QueuesOptions(RepoPaths.HostJson).MaxDequeueCount;
        Assert.Equal(maxDequeueCount, harness.Host.QueuesOptions.MaxDequeueCount);
        Assert.Equal(maxDequeueCount, harness.Effects.InvocationsOf(callId, "b"));
        Assert.Equal(0, harness.Effects.InvocationsOf(callId, "c"));
        Assert.Single(await harness.PoisonedAsync(QueueNames.Step("b")));
        var run = await harness.RunOfAsync(callId);
        Assert.Equal(RunStatus.Failed, run!.Status);
        Assert.Equal(StepStatus.Failed, run.Steps["b"].Status);
        Assert.Equal(maxDequeueCount, run.Steps["b"].Attempts);
        Assert.Contains("CRM is down", run.Steps["b"].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StepFailingOnce_IsRetriedAndTheRunCompletes()
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        harness.Effects.FaultAfterEffect = context => context is { Step: "a", Attempt: 1 } ? new TimeoutException("slow") : null;
        var callId = NewCallId();

        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, NewEventId()), "msg_1");
        await harness.RunUntilIdleAsync();

        Assert.Equal(2, harness.Effects.InvocationsOf(callId, "a"));
        var run = await harness.RunOfAsync(callId);
        Assert.Equal(2, run!.Steps["a"].Attempts);
        await AssertRunCompletedAsync(harness, callId);
    }

    [Theory]
    [InlineData("call.started")]
    [InlineData("call.transcript_update")]
    [InlineData("agent.updated")]
    public async Task OtherEventTypes_AreRecordedWithoutARun(string eventType)
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        var callId = NewCallId();
        var eventId = NewEventId();
        var body = System.Text.Encoding.UTF8.GetBytes(
            $"{{\"event_type\":\"{eventType}\",\"event_id\":\"{eventId}\",\"payload\":{{\"call_id\":\"{callId}\",\"attempt\":1}}}}");

        await harness.PostAsync(body, "msg_1");
        await harness.RunUntilIdleAsync();

        var delivery = await harness.App.GetRequiredService<TableServiceClient>().GetTableClient(TableNames.Deliveries)
            .GetEntityAsync<TableEntity>(callId, DeliveryLedger.RowKeyOf(eventId));
        Assert.Equal(eventType, delivery.Value.GetString("EventType"));
        Assert.Null(await harness.RunOfAsync(callId));
        Assert.DoesNotContain(harness.Effects.Invocations, i => i.CallId == callId);
    }

    [Fact]
    public async Task EveryDeliveryOfACall_IsInItsTimeline_ASecondCompletionUnderAnotherEventIdIncluded()
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        var callId = NewCallId();
        var (first, second, update) = (NewEventId(), NewEventId(), NewEventId());
        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, first), "msg_1");
        await harness.RunUntilIdleAsync();

        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, second), "msg_2");
        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, second), "msg_3");
        await harness.PostAsync(System.Text.Encoding.UTF8.GetBytes(
            $"{{\"event_type\":\"agent.updated\",\"event_id\":\"{update}\",\"payload\":{{\"call_id\":\"{callId}\",\"attempt\":1}}}}"), "msg_4");
        await harness.RunUntilIdleAsync();
        var tables = harness.App.GetRequiredService<TableServiceClient>();
        var blobs = harness.App.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>();

        foreach (var id in new[] { callId, first, second, update })
        {
            var timeline = await CallTimeline.FindAsync(tables, blobs, id, CancellationToken.None);
            Assert.Equal(callId, timeline!.CallId);
            Assert.Equal(
                new[] { first, second, update }.Order(StringComparer.Ordinal),
                timeline.Deliveries.Where(d => !d.Duplicate).Select(d => d.EventId).Order(StringComparer.Ordinal));
            Assert.Equal(second, Assert.Single(timeline.Deliveries, d => d.Duplicate).EventId);
        }
    }

    [Fact]
    public async Task AStepThatSucceeds_WhenWhatFollowsCannotBeWorkedOut_FailsItsTryWithThatError_NotANullOne()
    {
        // The workflow no longer has step a, whose message is still queued: the step runs, what follows it cannot be
        // worked out, and the host must see why.
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).WithSteps("b", "c").StartAsync();
        var callId = NewCallId();
        var run = new SimpleAi.Webhooks.Workflow.WorkflowRun
        {
            RunId = callId, CallId = callId, EventId = NewEventId(), Status = RunStatus.Running, CreatedAt = DateTimeOffset.UtcNow,
        };
        run.Steps["a"] = SimpleAi.Webhooks.Workflow.StepState.Queue();
        Assert.True(await harness.App.GetRequiredService<SimpleAi.Webhooks.Workflow.RunStore>().TryCreateAsync(run, CancellationToken.None));

        await harness.App.GetRequiredService<SimpleAi.Webhooks.Workflow.StepQueue>().SendAsync(run, "a", null, null, CancellationToken.None);
        await harness.RunUntilIdleAsync(60);

        var failed = harness.Logs.Lines.Where(l => l.StartsWith("Error Function.step-a: Executed", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(failed);
        // The host sees the workflow's own error (it has no step a), where it used to see ExceptionDispatchInfo's null argument.
        Assert.All(failed, l => Assert.True(l.Contains("KeyNotFoundException: The given key 'a'", StringComparison.Ordinal), l));
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Contains("System.ArgumentNullException", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string> BadQueueMessages() => new()
    {
        { QueueNames.Events, "not json at all", "not JSON" },
        { QueueNames.Events, "{\"v\":9,\"event_id\":\"e\",\"event_type\":\"t\",\"body\":\"\"}", "unsupported message version" },
        { QueueNames.Step("a"), "<xml/>", "not a step message" },
        { QueueNames.Step("a"), "{\"v\":1,\"run_id\":\"r\",\"call_id\":\"c\",\"event_id\":\"e\"}", "not a step message" },
        { QueueNames.Step("a"), "{\"v\":1,\"run_id\":\"r\",\"call_id\":\"c\",\"event_id\":\"e\",\"step\":\"a\",\"token\":\"\"}", "'token' is required" },
        { QueueNames.Step("a"), "{\"v\":2,\"run_id\":\"r\",\"call_id\":\"c\",\"event_id\":\"e\",\"step\":\"a\",\"token\":\"t\"}", "unsupported message version" },
        { QueueNames.Step("a"), "{\"v\":1,\"run_id\":\"r\",\"call_id\":\"c\",\"event_id\":\"e\",\"step\":\"zzz\",\"token\":\"t\"}", "unknown step 'zzz'" },
        { QueueNames.Step("a"), "{\"v\":1,\"run_id\":\"no-such-run\",\"call_id\":\"c\",\"event_id\":\"e\",\"step\":\"a\",\"token\":\"t\"}", "unknown run 'no-such-run'" },
    };

    [Theory]
    [MemberData(nameof(BadQueueMessages))]
    public async Task UnusableQueueMessage_GoesStraightToPoisonWithItsReason(string queue, string text, string reason)
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();

        await harness.Queues.GetQueueClient(queue).SendMessageAsync(text);
        await harness.RunUntilIdleAsync();

        Assert.Empty(harness.Host.Failures);
        var poisoned = Assert.Single(await harness.PoisonedAsync(queue));
        using var document = JsonDocument.Parse(poisoned);
        Assert.Contains(reason, document.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(text, document.RootElement.GetProperty("message").GetString());
        Assert.Contains(harness.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains(reason, StringComparison.Ordinal));
    }

    /// <summary>Fails chosen run inserts, as a crash just before them would.</summary>
    private sealed class FaultyRunStore(TableServiceClient tables, Azure.Storage.Blobs.BlobServiceClient blobs, Func<WorkflowRun, bool> crashOnCreate) : RunStore(tables, blobs)
    {
        public override Task<bool> TryCreateAsync(WorkflowRun run, CancellationToken cancellationToken) =>
            crashOnCreate(run) ? throw new IOException("simulated crash before the run insert") : base.TryCreateAsync(run, cancellationToken);
    }

    /// <summary>Sends what <paramref name="expand"/> makes of each message, all invisible for the same second.</summary>
    private sealed class CopyingQueueSender(IQueueSender inner, Func<OutboundMessage, OutboundMessage[]> expand) : IQueueSender
    {
        public async Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            var messages = expand(message);
            foreach (var copy in messages)
            {
                await inner.SendAsync(messages.Length > 1 ? copy with { VisibleAfter = TimeSpan.FromSeconds(1) } : copy, cancellationToken);
            }
        }
    }

    /// <summary>Fails one chosen send, as a crash between the completion record and the next enqueue would.</summary>
    private sealed class FaultyQueueSender(IQueueSender inner, Func<OutboundMessage, bool> crashOn) : IQueueSender
    {
        public Task SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
            crashOn(message) ? throw new IOException("simulated crash before the next enqueue") : inner.SendAsync(message, cancellationToken);
    }
}
