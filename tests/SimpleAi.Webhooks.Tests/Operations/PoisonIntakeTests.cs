using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Operations;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Webhooks.Tests.Operations;

/// <summary>
/// <see cref="PoisonIntake"/> over a real Storage poison queue on Azurite (<see cref="StoragePoisonPass"/>): each
/// message the host gave up on is recorded against its run, replaced by the app's wrapper and removed; the app's own
/// wrappers are left where they are. The step is named for this class, so its queues hold only its messages.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PoisonIntakeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 9, 30, 0, TimeSpan.Zero);

    private readonly string _step = "intake-" + Guid.NewGuid().ToString("N")[..8];
    private QueueServiceClient _queues = null!;
    private QueueClient _poison = null!;
    private RunStore _runs = null!;

    private sealed class Noop : IWorkflowStep
    {
        public Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult(StepResult.Done);
    }

    private string Queue => QueueNames.Step(_step);

    public async Task InitializeAsync()
    {
        _queues = new QueueServiceClient(azurite.ConnectionString, AzureConnections.QueueOptions());
        _runs = new RunStore(new TableServiceClient(azurite.ConnectionString), new BlobServiceClient(azurite.ConnectionString));
        await _queues.CreateQueueAsync(Queue);
        _poison = (await _queues.CreateQueueAsync(QueueNames.PoisonOf(Queue))).Value;
    }

    public async Task DisposeAsync()
    {
        await _queues.DeleteQueueAsync(Queue);
        await _queues.DeleteQueueAsync(QueueNames.PoisonOf(Queue));
    }

    private PoisonIntake Intake(IQueueSender? sender = null) => new(
        new PoisonQueue(sender ?? new StorageQueueSender(_queues)),
        new PoisonBookkeeping(_runs, new FakeTimeProvider(Now), NullLogger<PoisonBookkeeping>.Instance),
        new WorkflowDefinition([new WorkflowStepDefinition(_step, typeof(Noop), _ => true)]));

    /// <summary>One pass of the intake over the step's poison queue, as the sweep makes it; the pass gives back what it held.</summary>
    private async Task<(int Count, List<string> Taken)> TakeInAsync(PoisonIntake intake)
    {
        var taken = new List<string>();
        await using var pass = new StoragePoisonPass(_poison);
        var count = await intake.TakeInAsync(Queue, pass, (QueueMessage message) => taken.Add(message.MessageText), CancellationToken.None);
        return (count, taken);
    }

    private async Task<List<string>> PoisonQueueAsync() => [.. (await _poison.PeekMessagesAsync(32)).Value.Select(m => m.MessageText)];

    /// <summary>A run whose step is running under <paramref name="token"/>, and the text of the step message that drives it.</summary>
    private async Task<(string CallId, string MessageText)> RunningStepAsync(string token = "tok-1")
    {
        var callId = Guid.NewGuid().ToString("D");
        var run = new WorkflowRun { RunId = callId, CallId = callId, EventId = "evt_" + callId, Status = RunStatus.Running, CreatedAt = Now };
        run.Steps[_step] = new StepState(StepStatus.Running, "tok-1", Attempts: 5, StartedAt: Now, Error: "CRM is down");
        Assert.True(await _runs.TryCreateAsync(run, CancellationToken.None));
        return (callId, new StepMessage(callId, callId, run.EventId, _step, token).Encode().ToString());
    }

    private static List<string> Sorted(params string[] texts) => [.. texts.Order(StringComparer.Ordinal)];

    private static (string Reason, string? Queue, string Message) Unwrap(string text) =>
        PoisonQueue.TryUnwrap(text, out var reason, out var queue, out var message) ? (reason, queue, message) : throw new InvalidOperationException("not the app's wrapper: " + text);

    [Fact]
    public void Queues_AreEventsTranscriptFetchAndEveryRegisteredStepsQueue()
    {
        Assert.Equal([QueueNames.Events, QueueNames.TranscriptFetch, Queue], Intake().Queues);
    }

    [Fact]
    public async Task StepMessageTheHostGaveUpOn_FailsItsStepAndRun_AndIsReplacedByTheAppsWrapper()
    {
        var (callId, text) = await RunningStepAsync();
        await _poison.SendMessageAsync(text);

        var (count, taken) = await TakeInAsync(Intake());

        Assert.Equal(1, count);
        Assert.Equal([text], taken);
        Assert.Equal((PoisonBookkeeping.HostGaveUp, Queue, text), Unwrap(Assert.Single(await PoisonQueueAsync())));
        var run = (await _runs.FindAsync(callId, CancellationToken.None))!;
        Assert.Equal(RunStatus.Failed, run.Status);
        var step = run.Steps[_step];
        Assert.Equal(
            (StepStatus.Failed, "tok-1", 5, (DateTimeOffset?)Now, $"{PoisonBookkeeping.HostGaveUp}; last error: CRM is down"),
            (step.Status, step.Token, step.Attempts, step.FinishedAt, step.Error));
    }

    [Fact]
    public async Task AppsOwnWrapper_IsLeftWhereItIs_AndNotCounted()
    {
        var wrapper = JsonSerializer.Serialize(new Dictionary<string, string> { ["reason"] = "the message is not a step message", ["queue"] = Queue, ["message"] = "garbage" });
        await _poison.SendMessageAsync(wrapper);

        var (count, taken) = await TakeInAsync(Intake());

        Assert.Equal(0, count);
        Assert.Empty(taken);
        Assert.Equal([wrapper], await PoisonQueueAsync());
    }

    [Fact]
    public async Task MessagesOfBothKinds_OnlyTheHostsAreTakenIn_EachOnce()
    {
        var (first, firstText) = await RunningStepAsync();
        var (second, secondText) = await RunningStepAsync();
        var wrapper = JsonSerializer.Serialize(new Dictionary<string, string> { ["reason"] = "bad", ["queue"] = Queue, ["message"] = "x" });
        await _poison.SendMessageAsync(firstText);
        await _poison.SendMessageAsync(wrapper);
        await _poison.SendMessageAsync(secondText);

        var (count, taken) = await TakeInAsync(Intake());

        Assert.Equal(2, count);
        Assert.Equal(Sorted(firstText, secondText), Sorted([.. taken]));
        var left = await PoisonQueueAsync();
        Assert.Equal(Sorted("x", firstText, secondText), Sorted([.. left.Select(text => Unwrap(text).Message)]));
        Assert.Equal(RunStatus.Failed, (await _runs.FindAsync(first, CancellationToken.None))!.Status);
        Assert.Equal(RunStatus.Failed, (await _runs.FindAsync(second, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task TextThatIsNoStepMessage_IsWrappedWithTheHostsReason_AndNoRunChanges()
    {
        await _poison.SendMessageAsync("not json at all");

        var (count, _) = await TakeInAsync(Intake());

        Assert.Equal(1, count);
        Assert.Equal((PoisonBookkeeping.HostGaveUp, Queue, "not json at all"), Unwrap(Assert.Single(await PoisonQueueAsync())));
    }

    /// <summary>A copy of a message that no longer drives its step (the step moved on under another token): wrapped, the run left alone.</summary>
    [Fact]
    public async Task StaleStepMessage_IsWrapped_ButItsRunIsLeftRunning()
    {
        var (callId, text) = await RunningStepAsync(token: "an-older-token");
        await _poison.SendMessageAsync(text);

        var (count, _) = await TakeInAsync(Intake());

        Assert.Equal(1, count);
        Assert.Equal(text, Unwrap(Assert.Single(await PoisonQueueAsync())).Message);
        var run = (await _runs.FindAsync(callId, CancellationToken.None))!;
        Assert.Equal((RunStatus.Running, StepStatus.Running), (run.Status, run.Steps[_step].Status));
    }

    [Fact]
    public async Task EmptyPoisonQueue_TakesInNothing()
    {
        var (count, taken) = await TakeInAsync(Intake());

        Assert.Equal(0, count);
        Assert.Empty(taken);
        Assert.Empty(await PoisonQueueAsync());
    }

    /// <summary>The wrapper could not be sent: the original stays in the poison queue (given back by the pass) for the next sweep.</summary>
    [Fact]
    public async Task WrapperNotSent_KeepsTheOriginal_AndFails()
    {
        var (_, text) = await RunningStepAsync();
        await _poison.SendMessageAsync(text);
        var sender = new Mock<IQueueSender>();
        sender.Setup(s => s.SendAsync(It.IsAny<OutboundMessage>(), It.IsAny<CancellationToken>())).ThrowsAsync(new QueueUnavailableException("queue down"));
        var taken = new List<string>();

        await using (var pass = new StoragePoisonPass(_poison, lockFor: TimeSpan.FromSeconds(1)))
        {
            await Assert.ThrowsAsync<QueueUnavailableException>(
                () => Intake(sender.Object).TakeInAsync(Queue, pass, (QueueMessage message) => taken.Add(message.MessageText), CancellationToken.None));
        }

        await Conditions.WaitAsync(async () => (await PoisonQueueAsync()).Count > 0, TimeSpan.FromSeconds(30), "the original visible again after the pass's lock");
        Assert.Empty(taken);
        Assert.Equal([text], await PoisonQueueAsync());
    }
}
