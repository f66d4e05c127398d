using System.Collections.Concurrent;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Routing;
using SimpleAi.Webhooks.Storage;
using SimpleAi.Webhooks.Transcripts;

namespace SimpleAi.Webhooks.Tests.Routing;

/// <summary>
/// <see cref="EventRouter"/> with the app's real services on Azurite: each delivery recorded once (a duplicate leaves
/// a trace and no effect), then routed by type; a message it cannot read goes to <c>events-poison</c> with the reason.
/// Every message the router's services send reaches the real queue and is also kept for the asserts; the workflow's
/// one step is named for this class.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EventRouterTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 9, 30, 0, TimeSpan.Zero);

    private readonly string _step = "router-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _callId = Guid.NewGuid().ToString("D");
    private readonly FakeTimeProvider _time = new(Now);
    private readonly ServiceProvider _clients = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    private QueueServiceClient _queues = null!;
    private SentMessages _sent = null!;
    private CallRecords _calls = null!;
    private EventRouter _router = null!;

    private sealed class Noop : IWorkflowStep
    {
        public Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult(StepResult.Done);
    }

    /// <summary>Sends to the real queue and keeps what it sent.</summary>
    private sealed class SentMessages(IQueueSender queue) : IQueueSender
    {
        public ConcurrentQueue<OutboundMessage> All { get; } = new();

        public IEnumerable<OutboundMessage> To(string queueName) => All.Where(m => m.QueueName == queueName);

        public async Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            await queue.SendAsync(message, cancellationToken);
            All.Enqueue(message);
        }
    }

    private TableServiceClient Tables => new(azurite.ConnectionString);

    private RunStore Runs => new(Tables, new BlobServiceClient(azurite.ConnectionString));

    public async Task InitializeAsync()
    {
        _queues = new QueueServiceClient(azurite.ConnectionString, AzureConnections.QueueOptions());
        await _queues.CreateQueueAsync(QueueNames.Step(_step));
        _sent = new SentMessages(new StorageQueueSender(_queues));
        _calls = new CallRecords(Tables, new CallIndex(Tables, _time), _clients.GetRequiredService<IHttpClientFactory>(), Options.Create(new CallStartedOptions()), _time);
        var workflow = new WorkflowDefinition([new WorkflowStepDefinition(_step, typeof(Noop), _ => true)]);
        _router = new EventRouter(
            new DeliveryLedger(Tables),
            new WorkflowStarter(workflow, Runs, new StepQueue(_sent), _time, NullLogger<WorkflowStarter>.Instance),
            _calls,
            new TranscriptCoalescer(new TranscriptStore(Tables), _sent, Options.Create(new TranscriptOptions()), _time, NullLogger<TranscriptCoalescer>.Instance),
            new PoisonQueue(_sent),
            NullLogger<EventRouter>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _queues.DeleteQueueAsync(QueueNames.Step(_step));
        await _clients.DisposeAsync();
    }

    private EventMessage Event(string type, string eventId, string? callId = "") => new(
        eventId, type, callId == "" ? _callId : callId, 1, "msg_" + eventId, Now, null, null, "{}"u8.ToArray());

    private Task RouteAsync(EventMessage message, string queueMessageId, long dequeueCount = 1) =>
        _router.RouteAsync(EventMessageCodec.Encode(message).ToString(), new QueueDelivery(queueMessageId, dequeueCount), CancellationToken.None);

    private async Task<TableEntity?> DeliveryRowAsync(string partition, string rowKey)
    {
        var row = await Tables.GetTableClient(TableNames.Deliveries).GetEntityIfExistsAsync<TableEntity>(partition, rowKey);
        return row.HasValue ? row.Value : null;
    }

    private static StepMessage Step(OutboundMessage message) =>
        StepMessage.TryDecode(message.Body.ToString(), out var step, out var error) ? step : throw new InvalidOperationException(error);

    private static string NewEventId() => "evt_" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task CallCompleted_RecordsTheDelivery_StartsTheRun_AndQueuesItsFirstStep()
    {
        var eventId = NewEventId();

        await RouteAsync(Event(EventTypes.CallCompleted, eventId), "q-1");

        var row = await DeliveryRowAsync(eventId, DeliveryLedger.RowKeyOf(eventId));
        Assert.NotNull(row);
        Assert.Equal((EventTypes.CallCompleted, _callId, "q-1"), (row.GetString("EventType"), row.GetString("CallId"), row.GetString("RecordedBy")));
        var run = await Runs.FindAsync(_callId, CancellationToken.None);
        Assert.Equal((RunStatus.Running, eventId), (run!.Status, run.EventId));
        var step = Step(Assert.Single(_sent.All));
        Assert.Equal((_callId, _step, run.Steps[_step].Token), (step.RunId, step.Step, step.Token));
        Assert.Null(await DeliveryRowAsync(_callId, DeliveryLedger.CompletionReferenceRowKeyOf(eventId)));
    }

    [Fact]
    public async Task SameEventInAnotherQueueMessage_LeavesADuplicateTrace_AndNoEffect()
    {
        var eventId = NewEventId();
        await RouteAsync(Event(EventTypes.CallCompleted, eventId), "q-1");
        var run = await Runs.FindAsync(_callId, CancellationToken.None);

        await RouteAsync(Event(EventTypes.CallCompleted, eventId), "q-2");

        Assert.NotNull(await DeliveryRowAsync(eventId, DeliveryLedger.DuplicateRowKeyOf(eventId, "q-2")));
        Assert.Equal("q-1", (await DeliveryRowAsync(eventId, DeliveryLedger.RowKeyOf(eventId)))!.GetString("RecordedBy"));
        Assert.Equal(run!.ETag, (await Runs.FindAsync(_callId, CancellationToken.None))!.ETag);
        Assert.Single(_sent.All);
    }

    /// <summary>The queue message that recorded the event, delivered again (its try crashed after the insert): not a duplicate, so it finishes the work.</summary>
    [Fact]
    public async Task SameQueueMessageAgain_IsNoDuplicate_AndSendsTheFirstStepAgainWithTheSameToken()
    {
        var eventId = NewEventId();
        await RouteAsync(Event(EventTypes.CallCompleted, eventId), "q-1");

        await RouteAsync(Event(EventTypes.CallCompleted, eventId), "q-1", dequeueCount: 2);

        Assert.Null(await DeliveryRowAsync(eventId, DeliveryLedger.DuplicateRowKeyOf(eventId, "q-1")));
        var sent = _sent.All.Select(Step).ToList();
        Assert.Equal(2, sent.Count);
        Assert.Single(sent.Select(s => s.Token).Distinct());
    }

    [Fact]
    public async Task AnotherCompletionOfTheCall_IsReferencedFromTheCall_AndStartsNothing()
    {
        var (first, second) = (NewEventId(), NewEventId());
        await RouteAsync(Event(EventTypes.CallCompleted, first), "q-1");

        await RouteAsync(Event(EventTypes.CallCompleted, second), "q-2");

        var reference = await DeliveryRowAsync(_callId, DeliveryLedger.CompletionReferenceRowKeyOf(second));
        Assert.Equal(second, reference?.GetString("EventId"));
        Assert.NotNull(await DeliveryRowAsync(second, DeliveryLedger.RowKeyOf(second)));
        Assert.Equal(first, (await Runs.FindAsync(_callId, CancellationToken.None))!.EventId);
        Assert.Single(_sent.All);
    }

    [Fact]
    public async Task CallStarted_RecordsTheCallInProgress_AndSendsNothing()
    {
        var eventId = NewEventId();

        await RouteAsync(Event(EventTypes.CallStarted, eventId), "q-1");

        Assert.Equal("in_progress", await _calls.StatusAsync(_callId, CancellationToken.None));
        Assert.NotNull(await DeliveryRowAsync(_callId, DeliveryLedger.RowKeyOf(eventId)));
        Assert.Null(await Runs.FindAsync(_callId, CancellationToken.None));
        Assert.Empty(_sent.All);
    }

    [Theory]
    [InlineData(EventTypes.CallTranscriptUpdate)]
    [InlineData(EventTypes.TranscriptUpdated)]
    public async Task TranscriptUpdate_AsksForATranscriptFetchOfTheCall(string type)
    {
        var eventId = NewEventId();

        await RouteAsync(Event(type, eventId), "q-1");

        var fetch = TranscriptFetchMessage.Decode(Assert.Single(_sent.To(QueueNames.TranscriptFetch)).Body.ToString());
        var state = (await new TranscriptStore(Tables).FindStateAsync(_callId, CancellationToken.None))!.Value.State;
        Assert.Equal((_callId, state.Token, eventId), (fetch!.CallId, fetch.Token, state.ScheduledBy));
        Assert.Single(_sent.All);
        Assert.Null(await Runs.FindAsync(_callId, CancellationToken.None));
    }

    [Fact]
    public async Task UnknownEventType_IsRecorded_AndIgnored()
    {
        var eventId = NewEventId();

        await RouteAsync(Event("call.transferred", eventId), "q-1");

        Assert.Equal("call.transferred", (await DeliveryRowAsync(_callId, DeliveryLedger.RowKeyOf(eventId)))?.GetString("EventType"));
        Assert.Empty(_sent.All);
        Assert.Null(await Runs.FindAsync(_callId, CancellationToken.None));
    }

    [Fact]
    public async Task CallCompletedWithoutACallId_IsRecorded_AndStartsNothing()
    {
        var eventId = NewEventId();

        await RouteAsync(Event(EventTypes.CallCompleted, eventId, callId: null), "q-1");

        Assert.NotNull(await DeliveryRowAsync(eventId, DeliveryLedger.RowKeyOf(eventId)));
        Assert.Empty(_sent.All);
    }

    [Theory]
    [InlineData("not json", "the message is not JSON: ")]
    [InlineData("{\"v\":1,\"event_type\":\"call.completed\",\"body\":\"e30=\"}", "'event_id' and 'event_type' are required strings")]
    [InlineData("[1,2]", "the message is not a JSON object")]
    [InlineData("{\"v\":2,\"event_id\":\"evt_x\",\"event_type\":\"call.completed\"}", "unsupported message version (expected v=1)")]
    public async Task UnreadableMessage_GoesToEventsPoisonWithItsReason_AndNothingIsRecorded(string text, string reason)
    {
        await _router.RouteAsync(text, new QueueDelivery("q-1", 1), CancellationToken.None);

        var poisoned = Assert.Single(_sent.All);
        Assert.Equal(QueueNames.PoisonOf(QueueNames.Events), poisoned.QueueName);
        Assert.True(PoisonQueue.TryUnwrap(poisoned.Body.ToString(), out var why, out var queue, out var original));
        Assert.Equal((QueueNames.Events, text), (queue, original));
        Assert.Contains(reason, why, StringComparison.Ordinal);
        Assert.Null(await DeliveryRowAsync("evt_x", DeliveryLedger.RowKeyOf("evt_x")));
    }
}
