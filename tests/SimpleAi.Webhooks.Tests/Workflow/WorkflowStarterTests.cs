using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Webhooks.Tests.Workflow;

/// <summary>
/// <see cref="WorkflowStarter"/> on Azurite: one run per call however many deliveries announce its completion, its
/// first step queued by the message that inserted it (again after a crash), and a failed run whose first step never
/// ran started again. The workflow's steps are named for this class, so their queues hold only its messages.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkflowStarterTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 9, 30, 0, TimeSpan.Zero);

    private readonly string _first = "starter-first-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _second = "starter-second-" + Guid.NewGuid().ToString("N")[..8];
    private readonly FakeTimeProvider _time = new(Now);
    private QueueServiceClient _queues = null!;
    private RunStore _runs = null!;

    private sealed class Noop : IWorkflowStep
    {
        public Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult(StepResult.Done);
    }

    public async Task InitializeAsync()
    {
        _queues = new QueueServiceClient(azurite.ConnectionString, AzureConnections.QueueOptions());
        _runs = new RunStore(new TableServiceClient(azurite.ConnectionString), new BlobServiceClient(azurite.ConnectionString));
        await _queues.CreateQueueAsync(QueueNames.Step(_first));
        await _queues.CreateQueueAsync(QueueNames.Step(_second));
    }

    public async Task DisposeAsync()
    {
        await _queues.DeleteQueueAsync(QueueNames.Step(_first));
        await _queues.DeleteQueueAsync(QueueNames.Step(_second));
    }

    /// <summary>The starter over a workflow of two steps; the first runs when <paramref name="firstRuns"/>, the second when <paramref name="secondRuns"/>.</summary>
    private WorkflowStarter Starter(bool firstRuns = true, bool secondRuns = true, RunStore? runs = null, IQueueSender? sender = null) => new(
        new WorkflowDefinition([new(_first, typeof(Noop), _ => firstRuns), new(_second, typeof(Noop), _ => secondRuns)]),
        runs ?? _runs,
        new StepQueue(sender ?? new StorageQueueSender(_queues)),
        _time,
        NullLogger<WorkflowStarter>.Instance);

    private static EventMessage Completed(string callId, string eventId, string? callIdInBody = "") => new(
        eventId, EventTypes.CallCompleted, callIdInBody == "" ? callId : callIdInBody, 1, "msg_" + eventId, Now, null, null, ReadOnlyMemory<byte>.Empty);

    private async Task<List<StepMessage>> QueuedAsync(string step)
    {
        var messages = (await _queues.GetQueueClient(QueueNames.Step(step)).PeekMessagesAsync(32)).Value;
        return [.. messages.Select(m => StepMessage.TryDecode(m.Body.ToString(), out var message, out var error) ? message : throw new InvalidOperationException(error))];
    }

    private static string NewCallId() => Guid.NewGuid().ToString("D");

    [Fact]
    public async Task CompletedCall_InsertsItsRunAndQueuesTheFirstStepWithTheRunsToken()
    {
        var callId = NewCallId();

        var startedFrom = await Starter().StartAsync(Completed(callId, "evt_1"), new QueueDelivery("q-1", 1), seenBefore: false, CancellationToken.None);

        Assert.Equal("evt_1", startedFrom);
        var run = await _runs.FindAsync(callId, CancellationToken.None);
        Assert.NotNull(run);
        Assert.Equal((RunStatus.Running, "evt_1", "q-1", Now), (run.Status, run.EventId, run.StartedBy, run.CreatedAt));
        Assert.Equal((callId, "evt_1", EventTypes.CallCompleted), (run.Data["call_id"], run.Data["event_id"], run.Data["event_type"]));
        var first = run.Steps[_first];
        Assert.Equal(StepStatus.Queued, first.Status);
        Assert.False(run.Steps.ContainsKey(_second));
        var sent = Assert.Single(await QueuedAsync(_first));
        Assert.Equal((callId, callId, "evt_1", _first, first.Token), (sent.RunId, sent.CallId, sent.EventId, sent.Step, sent.Token));
        Assert.Empty(await QueuedAsync(_second));
    }

    [Fact]
    public async Task FirstStepsConditionFalse_RecordsItSkippedAtTheClocksTime_AndQueuesTheNextStep()
    {
        var callId = NewCallId();

        await Starter(firstRuns: false).StartAsync(Completed(callId, "evt_1"), new QueueDelivery("q-1", 1), seenBefore: false, CancellationToken.None);

        var run = (await _runs.FindAsync(callId, CancellationToken.None))!;
        Assert.Equal(new StepState(StepStatus.Skipped, FinishedAt: Now), run.Steps[_first]);
        Assert.Equal(StepStatus.Queued, run.Steps[_second].Status);
        Assert.Empty(await QueuedAsync(_first));
        Assert.Equal(run.Steps[_second].Token, Assert.Single(await QueuedAsync(_second)).Token);
    }

    [Fact]
    public async Task NoStepRuns_CompletesTheRunAtOnce_AndQueuesNothing()
    {
        var callId = NewCallId();

        var startedFrom = await Starter(firstRuns: false, secondRuns: false).StartAsync(
            Completed(callId, "evt_1"), new QueueDelivery("q-1", 1), seenBefore: false, CancellationToken.None);

        Assert.Equal("evt_1", startedFrom);
        var run = (await _runs.FindAsync(callId, CancellationToken.None))!;
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal([_first, _second], run.Steps.Keys.Order(StringComparer.Ordinal));
        Assert.All(run.Steps.Values, step => Assert.Equal(StepStatus.Skipped, step.Status));
        Assert.Empty(await QueuedAsync(_first));
        Assert.Empty(await QueuedAsync(_second));
    }

    [Fact]
    public async Task AnotherCompletionOfTheCall_AddsNothing_AndNamesTheEventTheRunStartedFrom()
    {
        var callId = NewCallId();
        var starter = Starter();
        await starter.StartAsync(Completed(callId, "evt_1"), new QueueDelivery("q-1", 1), seenBefore: false, CancellationToken.None);
        var token = (await _runs.FindAsync(callId, CancellationToken.None))!.Steps[_first].Token;

        var startedFrom = await starter.StartAsync(Completed(callId, "evt_2"), new QueueDelivery("q-2", 1), seenBefore: false, CancellationToken.None);

        Assert.Equal("evt_1", startedFrom);
        var run = (await _runs.FindAsync(callId, CancellationToken.None))!;
        Assert.Equal(("evt_1", "q-1", token), (run.EventId, run.StartedBy, run.Steps[_first].Token));
        Assert.Single(await QueuedAsync(_first));
    }

    [Fact]
    public async Task DuplicateSeenBefore_LeavesTheRunAsItWas_AndQueuesNothingMore()
    {
        var callId = NewCallId();
        var starter = Starter();
        await starter.StartAsync(Completed(callId, "evt_1"), new QueueDelivery("q-1", 1), seenBefore: false, CancellationToken.None);
        var before = (await _runs.FindAsync(callId, CancellationToken.None))!;

        var startedFrom = await starter.StartAsync(Completed(callId, "evt_1"), new QueueDelivery("q-2", 1), seenBefore: true, CancellationToken.None);

        Assert.Equal("evt_1", startedFrom);
        var run = (await _runs.FindAsync(callId, CancellationToken.None))!;
        Assert.Equal((before.ETag, "q-1", before.Steps[_first]), (run.ETag, run.StartedBy, run.Steps[_first]));
        Assert.Single(await QueuedAsync(_first));
    }

    [Fact]
    public async Task SeenBeforeButNoRunYet_StartsTheRun()
    {
        var callId = NewCallId();

        var startedFrom = await Starter().StartAsync(Completed(callId, "evt_1"), new QueueDelivery("q-2", 2), seenBefore: true, CancellationToken.None);

        Assert.Equal("evt_1", startedFrom);
        Assert.Equal("q-2", (await _runs.FindAsync(callId, CancellationToken.None))!.StartedBy);
        Assert.Single(await QueuedAsync(_first));
    }

    /// <summary>The send of the first step failed after the insert (a crash, an outage): the same queue message, delivered again, sends it with the token the run recorded.</summary>
    [Fact]
    public async Task SendLostAfterTheInsert_TheSameMessageAgainQueuesTheFirstStepWithTheRecordedToken()
    {
        var callId = NewCallId();
        var real = new StorageQueueSender(_queues);
        var failures = 1;
        var sender = new Mock<IQueueSender>();
        sender.Setup(s => s.SendAsync(It.IsAny<OutboundMessage>(), It.IsAny<CancellationToken>()))
            .Returns((OutboundMessage message, CancellationToken token) =>
                Interlocked.Decrement(ref failures) >= 0 ? throw new QueueUnavailableException("queue down") : real.SendAsync(message, token));
        var starter = Starter(sender: sender.Object);
        await Assert.ThrowsAsync<QueueUnavailableException>(
            () => starter.StartAsync(Completed(callId, "evt_1"), new QueueDelivery("q-1", 1), seenBefore: false, CancellationToken.None));
        var recorded = (await _runs.FindAsync(callId, CancellationToken.None))!.Steps[_first].Token;
        Assert.Empty(await QueuedAsync(_first));

        var startedFrom = await starter.StartAsync(Completed(callId, "evt_1"), new QueueDelivery("q-1", 2), seenBefore: false, CancellationToken.None);

        Assert.Equal("evt_1", startedFrom);
        Assert.Equal(recorded, Assert.Single(await QueuedAsync(_first)).Token);
    }

    [Fact]
    public async Task FailedRunWhoseFirstStepNeverRan_IsStartedAgainByTheNextDelivery_WithANewToken()
    {
        var callId = NewCallId();
        var starter = Starter();
        await starter.StartAsync(Completed(callId, "evt_1"), new QueueDelivery("q-1", 1), seenBefore: false, CancellationToken.None);
        var failed = (await _runs.FindAsync(callId, CancellationToken.None))!;
        var oldToken = failed.Steps[_first].Token;
        failed.Status = RunStatus.Failed;
        await _runs.SaveAsync(failed, CancellationToken.None);

        var startedFrom = await starter.StartAsync(Completed(callId, "evt_2"), new QueueDelivery("q-2", 1), seenBefore: false, CancellationToken.None);

        Assert.Equal("evt_1", startedFrom);
        var run = (await _runs.FindAsync(callId, CancellationToken.None))!;
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Equal((StepStatus.Queued, 0), (run.Steps[_first].Status, run.Steps[_first].Attempts));
        Assert.NotEqual(oldToken, run.Steps[_first].Token);
        Assert.Equal([oldToken, run.Steps[_first].Token], (await QueuedAsync(_first)).Select(m => m.Token));
    }

    [Fact]
    public async Task FailedRunWhoseFirstStepRan_StaysFailed_AndNothingIsQueued()
    {
        var callId = NewCallId();
        var starter = Starter();
        await starter.StartAsync(Completed(callId, "evt_1"), new QueueDelivery("q-1", 1), seenBefore: false, CancellationToken.None);
        var failed = (await _runs.FindAsync(callId, CancellationToken.None))!;
        failed.Steps[_first] = failed.Steps[_first] with { Status = StepStatus.Failed, Attempts = 1, Error = "CRM is down" };
        failed.Status = RunStatus.Failed;
        await _runs.SaveAsync(failed, CancellationToken.None);

        var startedFrom = await starter.StartAsync(Completed(callId, "evt_2"), new QueueDelivery("q-2", 1), seenBefore: false, CancellationToken.None);

        Assert.Equal("evt_1", startedFrom);
        var run = (await _runs.FindAsync(callId, CancellationToken.None))!;
        Assert.Equal((RunStatus.Failed, StepStatus.Failed), (run.Status, run.Steps[_first].Status));
        Assert.Single(await QueuedAsync(_first));
    }

    /// <summary>The insert met a row that was gone when read back (purged or erased in between): no run, nothing queued.</summary>
    [Fact]
    public async Task RunGoneBetweenInsertAndRead_ReturnsNoEvent_AndQueuesNothing()
    {
        var callId = NewCallId();
        var runs = new Mock<RunStore>(new TableServiceClient(azurite.ConnectionString), new BlobServiceClient(azurite.ConnectionString));
        runs.Setup(r => r.TryCreateAsync(It.IsAny<WorkflowRun>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        runs.Setup(r => r.FindAsync(callId, It.IsAny<CancellationToken>())).ReturnsAsync((WorkflowRun?)null);

        var startedFrom = await Starter(runs: runs.Object).StartAsync(Completed(callId, "evt_1"), new QueueDelivery("q-1", 1), seenBefore: false, CancellationToken.None);

        Assert.Null(startedFrom);
        Assert.Empty(await QueuedAsync(_first));
    }

    [Fact]
    public async Task CompletionWithoutACallId_IsRefusedNamingTheDelivery()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Starter().StartAsync(
            Completed("unused", "evt_1", callIdInBody: null), new QueueDelivery("q-1", 1), seenBefore: false, CancellationToken.None));

        Assert.Equal("delivery", error.ParamName);
        Assert.Empty(await QueuedAsync(_first));
    }
}
