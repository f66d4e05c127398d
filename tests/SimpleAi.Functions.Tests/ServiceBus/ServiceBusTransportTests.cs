using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Options;
using Moq;
using SimpleAi.Webhooks.Operations;

namespace SimpleAi.Functions.Tests.ServiceBus;

/// <summary>
/// The Service Bus flavour's retry, dead-letter and replay paths, with the core built for <see cref="QueueTransport.ServiceBus"/>
/// as the Service Bus build wires it. Service Bus cannot run here: the SDK's client, senders and receivers are mocked
/// (their members are virtual; <see cref="ServiceBusModelFactory"/> builds received messages). Runs live in real
/// tables on Azurite.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceBusTransportTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Notify = "step-notify";

    private readonly Mock<ServiceBusClient> _client = new();
    private readonly Dictionary<string, List<ServiceBusMessage>> _sent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Mock<ServiceBusSender>> _senders = new(StringComparer.Ordinal);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));
    private ServiceProvider _app = null!;

    public async Task InitializeAsync()
    {
        _client.Setup(c => c.CreateSender(It.IsAny<string>())).Returns<string>(queue => SenderFor(queue).Object);
        _client.Setup(c => c.CreateReceiver(It.IsAny<string>(), It.IsAny<ServiceBusReceiverOptions>()))
            .Returns(new Mock<ServiceBusReceiver>().Object);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(TestApp.Settings(azurite.ConnectionString)).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddSingleton(_client.Object)
            .AddSingleton<TimeProvider>(_time);
        services.AddSimpleAiWebhooks(configuration, QueueTransport.ServiceBus);
        _app = services.BuildServiceProvider();
        await StorageProvisioning.EnsureAsync(
            _app.GetRequiredService<TableServiceClient>(), _app.GetRequiredService<BlobServiceClient>(), CancellationToken.None);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task FailedTryWithTriesLeft_IsResentForLater_UnderItsFirstDeliveryId_AndReturnsSoTheHostCompletesIt()
    {
        var handler = _app.GetRequiredService<IFailedTryHandler>();
        var text = StepText(Guid.NewGuid().ToString("D"), "token-1");

        var handling = await handler.HandleAsync(new FailedTry(Notify, text, new QueueDelivery("1234", 2), new HttpRequestException("503")), CancellationToken.None);

        Assert.IsType<ServiceBusFailedTries>(handler);
        Assert.Equal(FailedTryHandling.Settled, handling);
        var copy = Assert.Single(_sent[Notify]);
        Assert.Equal(text, copy.Body.ToString());
        Assert.Equal(_time.GetUtcNow().Add(_app.GetRequiredService<IOptions<HostRetryOptions>>().Value.VisibilityTimeout), copy.ScheduledEnqueueTime);
        Assert.NotEqual("1234", copy.MessageId);
        var next = ServiceBusRetries.DeliveryOf("99", 1, JsonSerializer.Serialize(copy.ApplicationProperties));
        Assert.Equal(new QueueDelivery("1234", 3), next);
    }

    [Fact]
    public async Task EveryTryButTheLast_IsResent_ThenTheRunFailsAndTheMessageWaitsInItsPoisonQueue()
    {
        var handler = _app.GetRequiredService<IFailedTryHandler>();
        var callId = Guid.NewGuid().ToString("D");
        await CreateRunAsync(callId, "token-1");
        var text = StepText(callId, "token-1");
        var delivery = new QueueDelivery("1234", 1);

        var max = _app.GetRequiredService<IOptions<HostRetryOptions>>().Value.MaxDequeueCount;
        for (var attempt = 1; attempt <= max; attempt++)
        {
            Assert.Equal(
                FailedTryHandling.Settled,
                await handler.HandleAsync(new FailedTry(Notify, text, delivery, new HttpRequestException($"try {attempt}")), CancellationToken.None));
            if (attempt < max)
            {
                var properties = JsonSerializer.Serialize(_sent[Notify][^1].ApplicationProperties);
                delivery = ServiceBusRetries.DeliveryOf("seq-" + attempt, 1, properties);
            }
        }

        Assert.Equal(max - 1, _sent[Notify].Count);
        Assert.Equal(new QueueDelivery("1234", max), delivery);
        var poisoned = Assert.Single(_sent[QueueNames.PoisonOf(Notify)]);
        Assert.True(PoisonQueue.TryUnwrap(poisoned.Body.ToString(), out var reason, out var queue, out var original));
        Assert.Equal(Notify, queue);
        Assert.Equal(text, original);
        Assert.Contains($"last try ({max} of {max})", reason, StringComparison.Ordinal);
        var run = await _app.GetRequiredService<RunStore>().FindAsync(callId, CancellationToken.None);
        Assert.Equal(RunStatus.Failed, run!.Status);
        Assert.Equal(StepStatus.Failed, run.Steps["notify"].Status);
        Assert.Contains($"try {max}", run.Steps["notify"].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CopyTheBrokerRefuses_GivesTheOriginalErrorBackToTheHost()
    {
        var handler = _app.GetRequiredService<IFailedTryHandler>();
        SenderFor(Notify).Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("busy", ServiceBusFailureReason.ServiceBusy));
        var error = new HttpRequestException("503");
        var text = StepText(Guid.NewGuid().ToString("D"), "t");

        var handling = await handler.HandleAsync(new FailedTry(Notify, text, new QueueDelivery("1", 1), error), CancellationToken.None);
        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() => new QueueInvocations(_app.GetRequiredService<StepRunner>(), handler).RunAsync(
            Notify, text, QueueDeliveriesTests.Context(new() { ["SequenceNumber"] = 1L, ["DeliveryCount"] = 1L }), (_, _) => throw error));

        Assert.Equal(FailedTryHandling.HostRetries, handling);
        Assert.Same(error, thrown);
    }

    [Fact]
    public async Task DeadLetter_IsTakenInBySweep_ItsRunFailed_AndItWaitsInThePoisonQueue()
    {
        var callId = Guid.NewGuid().ToString("D");
        await CreateRunAsync(callId, "token-1");
        var text = StepText(callId, "token-1");
        var deadLetter = DeadLetter(text, "seq-7");
        var receiver = DeadLetterReceiver(Notify, deadLetter);
        var sweeper = _app.GetRequiredService<IPoisonSweeper>();

        var taken = await sweeper.SweepAsync(CancellationToken.None);

        Assert.IsType<ServiceBusDeadLetterSweeper>(sweeper);
        Assert.Equal(1, taken);
        receiver.Verify(r => r.CompleteMessageAsync(deadLetter, It.IsAny<CancellationToken>()), Times.Once);
        var poisoned = Assert.Single(_sent[QueueNames.PoisonOf(Notify)]);
        Assert.True(PoisonQueue.TryUnwrap(poisoned.Body.ToString(), out var reason, out _, out var original));
        Assert.Equal(text, original);
        Assert.Contains("MaxDeliveryCountExceeded", reason, StringComparison.Ordinal);
        var run = await _app.GetRequiredService<RunStore>().FindAsync(callId, CancellationToken.None);
        Assert.Equal(RunStatus.Failed, run!.Status);
        Assert.Contains("dead-lettered", run.Steps["notify"].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_FromADeadLetterQueue_RecordsTheFailure_AndResendsUnderANewMessageId()
    {
        var callId = Guid.NewGuid().ToString("D");
        await CreateRunAsync(callId, "token-1");
        var text = StepText(callId, "token-1");
        var deadLetter = DeadLetter(text, "evt_original");
        var receiver = DeadLetterReceiver(Notify, deadLetter);
        var replay = new ServiceBusPoisonReplay(_client.Object, _app.GetRequiredService<PoisonBookkeeping>());

        var moved = await replay.RunAsync(ReplaySource.Parse(Notify + "/$DeadLetterQueue", serviceBus: true), 10, dryRun: false, callId: null, CancellationToken.None);

        var replayed = Assert.Single(moved);
        Assert.Equal(Notify, replayed.TargetQueue);
        var resent = Assert.Single(_sent[Notify]);
        Assert.Equal(text, resent.Body.ToString());
        Assert.NotEqual("evt_original", resent.MessageId);
        receiver.Verify(r => r.CompleteMessageAsync(deadLetter, It.IsAny<CancellationToken>()), Times.Once);
        var run = await _app.GetRequiredService<RunStore>().FindAsync(callId, CancellationToken.None);
        Assert.Equal(StepStatus.Failed, run!.Steps["notify"].Status);
    }

    [Fact]
    public async Task Replay_FromAPoisonQueue_UnwrapsTheAppsWrapper_AndADryRunOnlyPeeks()
    {
        var text = StepText(Guid.NewGuid().ToString("D"), "token-1");
        var wrapper = ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromObjectAsJson(new Dictionary<string, string> { ["reason"] = "failed for good", ["queue"] = Notify, ["message"] = text }),
            messageId: "p-1",
            sequenceNumber: 3);
        var receiver = new Mock<ServiceBusReceiver>();
        receiver.SetupSequence(r => r.PeekMessagesAsync(It.IsAny<int>(), It.IsAny<long?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([wrapper])
            .ReturnsAsync([]);
        receiver.SetupSequence(r => r.ReceiveMessagesAsync(It.IsAny<int>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([wrapper])
            .ReturnsAsync([]);
        _client.Setup(c => c.CreateReceiver(QueueNames.PoisonOf(Notify), It.Is<ServiceBusReceiverOptions>(o => o.SubQueue == SubQueue.None)))
            .Returns(receiver.Object);
        var replay = new ServiceBusPoisonReplay(_client.Object, _app.GetRequiredService<PoisonBookkeeping>());
        var source = ReplaySource.Parse(QueueNames.PoisonOf(Notify), serviceBus: true);

        var wouldMove = await replay.RunAsync(source, 10, dryRun: true, callId: null, CancellationToken.None);
        var sentAfterDryRun = _sent.GetValueOrDefault(Notify)?.Count ?? 0;
        var moved = await replay.RunAsync(source, 10, dryRun: false, callId: null, CancellationToken.None);

        Assert.Equal("failed for good", Assert.Single(wouldMove).Reason);
        Assert.Equal(0, sentAfterDryRun);
        Assert.Equal(Notify, Assert.Single(moved).TargetQueue);
        Assert.Equal(text, Assert.Single(_sent[Notify]).Body.ToString());
        receiver.Verify(r => r.CompleteMessageAsync(wrapper, It.IsAny<CancellationToken>()), Times.Once);
    }

    private Mock<ServiceBusSender> SenderFor(string queue)
    {
        if (!_senders.TryGetValue(queue, out var sender))
        {
            sender = new Mock<ServiceBusSender>();
            sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
                .Callback<ServiceBusMessage, CancellationToken>((m, _) =>
                {
                    lock (_sent)
                    {
                        (_sent.TryGetValue(queue, out var list) ? list : _sent[queue] = []).Add(m);
                    }
                })
                .Returns(Task.CompletedTask);
            _senders[queue] = sender;
        }

        return sender;
    }

    private Mock<ServiceBusReceiver> DeadLetterReceiver(string queue, ServiceBusReceivedMessage message)
    {
        var receiver = new Mock<ServiceBusReceiver>();
        receiver.Setup(r => r.PeekMessageAsync(It.IsAny<long?>(), It.IsAny<CancellationToken>())).ReturnsAsync(message);
        receiver.SetupSequence(r => r.ReceiveMessagesAsync(It.IsAny<int>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([message])
            .ReturnsAsync([]);
        _client.Setup(c => c.CreateReceiver(queue, It.Is<ServiceBusReceiverOptions>(o => o.SubQueue == SubQueue.DeadLetter)))
            .Returns(receiver.Object);
        return receiver;
    }

    /// <summary>A message the broker dead-lettered after its lock was lost on every delivery (the reason travels as properties).</summary>
    private static ServiceBusReceivedMessage DeadLetter(string text, string messageId) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(text),
            messageId: messageId,
            properties: new Dictionary<string, object>
            {
                ["DeadLetterReason"] = "MaxDeliveryCountExceeded",
                ["DeadLetterErrorDescription"] = "Message could not be consumed after 5 delivery attempts.",
            },
            deliveryCount: 5,
            sequenceNumber: 7);

    private static string StepText(string callId, string token) => new StepMessage(callId, callId, "evt_1", "notify", token).Encode().ToString();

    private async Task CreateRunAsync(string callId, string token)
    {
        var run = new WorkflowRun { RunId = callId, CallId = callId, EventId = "evt_1", Status = RunStatus.Running, CreatedAt = _time.GetUtcNow() };
        run.Steps["notify"] = new StepState(StepStatus.Running, token, Attempts: 1, ClaimedBy: "1234", ClaimedAt: _time.GetUtcNow());
        Assert.True(await _app.GetRequiredService<RunStore>().TryCreateAsync(run, CancellationToken.None));
    }
}
