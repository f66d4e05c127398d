using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Transcripts;

namespace SimpleAi.Webhooks.Tests.Transcripts;

/// <summary>
/// <see cref="TranscriptCoalescer"/> on Azurite's transcripts table, on a fake clock: a burst of updates makes one
/// fetch per window, the update that scheduled a fetch sends it again until it begins, and a schedule whose fetch
/// never began is replaced after a minute. Each message sent to <c>transcript-fetch</c> is also kept for the asserts.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TranscriptCoalescerTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Start = new(2026, 5, 4, 9, 30, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly string _callId = Guid.NewGuid().ToString("D");

    /// <summary>Sends to the real queue and keeps what it sent.</summary>
    private sealed class SentMessages(IQueueSender queue) : IQueueSender
    {
        public ConcurrentQueue<OutboundMessage> All { get; } = new();

        public async Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            await queue.SendAsync(message, cancellationToken);
            All.Enqueue(message);
        }
    }

    private TranscriptStore Store => new(new TableServiceClient(azurite.ConnectionString));

    private (TranscriptCoalescer Coalescer, SentMessages Sent) Coalescer(TranscriptStore? store = null)
    {
        var sent = new SentMessages(new StorageQueueSender(new QueueServiceClient(azurite.ConnectionString, AzureConnections.QueueOptions())));
        var options = Options.Create(new TranscriptOptions { CoalesceMilliseconds = (int)Window.TotalMilliseconds });
        return (new TranscriptCoalescer(store ?? Store, sent, options, _time, NullLogger<TranscriptCoalescer>.Instance), sent);
    }

    private async Task<TranscriptState?> StateAsync() => (await Store.FindStateAsync(_callId, CancellationToken.None))?.State;

    /// <summary>The call's state as a fetch (<see cref="TranscriptFetchDecision"/>) leaves it: the fetch began at <paramref name="began"/>.</summary>
    private async Task FetchBeganAsync(DateTimeOffset began)
    {
        var (state, etag) = (await Store.FindStateAsync(_callId, CancellationToken.None))!.Value;
        Assert.True(await Store.TrySaveStateAsync(_callId, state with { LastFetchStartedAt = began, ScheduledFor = null, FetchClaimedBy = "fetch-message" }, etag, CancellationToken.None));
    }

    private static TranscriptFetchMessage Fetch(OutboundMessage message)
    {
        Assert.Equal(QueueNames.TranscriptFetch, message.QueueName);
        return TranscriptFetchMessage.Decode(message.Body.ToString()) ?? throw new InvalidOperationException("not a transcript-fetch message: " + message.Body);
    }

    [Fact]
    public async Task FirstUpdateOfACall_SchedulesAFetchDueNow_AndSendsItAtOnce()
    {
        var (coalescer, sent) = Coalescer();

        await coalescer.RequestFetchAsync(_callId, "evt_1", "00-trace-01", CancellationToken.None);

        var state = await StateAsync();
        Assert.NotNull(state);
        Assert.Equal((Start, "evt_1", (DateTimeOffset?)null), (state.ScheduledFor, state.ScheduledBy, state.LastFetchStartedAt));
        var message = Assert.Single(sent.All);
        Assert.Null(message.VisibleAfter);
        Assert.Equal(new TranscriptFetchMessage(_callId, state.Token, "00-trace-01"), Fetch(message));
        Assert.Equal($"{_callId}:{state.Token}", message.MessageId);
    }

    [Fact]
    public async Task UpdatesWhileAFetchIsDue_JoinIt_AndSendNothing()
    {
        var (coalescer, sent) = Coalescer();
        await coalescer.RequestFetchAsync(_callId, "evt_1", null, CancellationToken.None);
        var scheduled = await StateAsync();

        _time.Advance(TimeSpan.FromMilliseconds(300));
        await coalescer.RequestFetchAsync(_callId, "evt_2", null, CancellationToken.None);
        await coalescer.RequestFetchAsync(_callId, "evt_3", null, CancellationToken.None);

        Assert.Single(sent.All);
        Assert.Equal(scheduled, await StateAsync());
    }

    [Fact]
    public async Task UpdateWithinTheWindowAfterAFetchBegan_SchedulesTheNextFetchForTheWindowsEnd()
    {
        var (coalescer, sent) = Coalescer();
        await coalescer.RequestFetchAsync(_callId, "evt_1", null, CancellationToken.None);
        var first = (await StateAsync())!.Token;
        await FetchBeganAsync(Start);
        _time.Advance(TimeSpan.FromMilliseconds(500));

        await coalescer.RequestFetchAsync(_callId, "evt_2", null, CancellationToken.None);

        var state = (await StateAsync())!;
        Assert.Equal((Start + Window, "evt_2"), (state.ScheduledFor, state.ScheduledBy));
        Assert.NotEqual(first, state.Token);
        Assert.Equal(2, sent.All.Count);
        var next = sent.All.Last();
        Assert.Equal(TimeSpan.FromMilliseconds(1500), next.VisibleAfter);
        Assert.Equal(state.Token, Fetch(next).Token);
    }

    [Fact]
    public async Task UpdateAfterTheWindow_SchedulesAFetchDueNow()
    {
        var (coalescer, sent) = Coalescer();
        await coalescer.RequestFetchAsync(_callId, "evt_1", null, CancellationToken.None);
        await FetchBeganAsync(Start);
        _time.Advance(Window + TimeSpan.FromMilliseconds(1));

        await coalescer.RequestFetchAsync(_callId, "evt_2", null, CancellationToken.None);

        Assert.Equal(_time.GetUtcNow(), (await StateAsync())!.ScheduledFor);
        Assert.Null(sent.All.Last().VisibleAfter);
        Assert.Equal(2, sent.All.Count);
    }

    /// <summary>The update that scheduled the fetch, delivered again (after a crash that may have lost the send, or replayed) before the fetch began.</summary>
    [Fact]
    public async Task SchedulingUpdateAgainBeforeItsFetchBegan_SendsTheSameFetchAgain()
    {
        var (coalescer, sent) = Coalescer();
        await coalescer.RequestFetchAsync(_callId, "evt_1", null, CancellationToken.None);
        var scheduled = (await StateAsync())!;

        await coalescer.RequestFetchAsync(_callId, "evt_1", null, CancellationToken.None);

        Assert.Equal(scheduled, await StateAsync());
        Assert.Equal(2, sent.All.Count);
        Assert.All(sent.All, message => Assert.Equal(scheduled.Token, Fetch(message).Token));
    }

    [Fact]
    public async Task SchedulingUpdateAgainAfterItsFetchBegan_SendsNothing()
    {
        var (coalescer, sent) = Coalescer();
        await coalescer.RequestFetchAsync(_callId, "evt_1", null, CancellationToken.None);
        await FetchBeganAsync(Start);
        var begun = await StateAsync();
        _time.Advance(TimeSpan.FromSeconds(10));

        await coalescer.RequestFetchAsync(_callId, "evt_1", null, CancellationToken.None);

        Assert.Single(sent.All);
        Assert.Equal(begun, await StateAsync());
    }

    [Theory]
    [InlineData(59, false)]
    [InlineData(61, true)]
    public async Task ScheduleWhoseFetchNeverBegan_IsReplacedOnlyAfterAMinute(int secondsLater, bool replaced)
    {
        var (coalescer, sent) = Coalescer();
        await coalescer.RequestFetchAsync(_callId, "evt_1", null, CancellationToken.None);
        var lost = (await StateAsync())!;
        _time.Advance(TimeSpan.FromSeconds(secondsLater));

        await coalescer.RequestFetchAsync(_callId, "evt_2", null, CancellationToken.None);

        var state = (await StateAsync())!;
        Assert.Equal(replaced ? 2 : 1, sent.All.Count);
        Assert.Equal(replaced, state.Token != lost.Token);
        Assert.Equal(replaced ? ("evt_2", _time.GetUtcNow()) : ("evt_1", Start), (state.ScheduledBy, state.ScheduledFor!.Value));
    }

    [Fact]
    public async Task AnotherWriterWinsOnce_TheUpdateDecidesAgainOnTheNewState()
    {
        var real = Store;
        var store = new Mock<TranscriptStore>(new TableServiceClient(azurite.ConnectionString)) { CallBase = true };
        var raced = 0;
        store.Setup(s => s.TrySaveStateAsync(_callId, It.IsAny<TranscriptState>(), It.IsAny<ETag>(), It.IsAny<CancellationToken>()))
            .Returns(async (string callId, TranscriptState state, ETag etag, CancellationToken token) =>
            {
                if (Interlocked.Exchange(ref raced, 1) == 0)
                {
                    // Another update of the call scheduled a fetch first.
                    Assert.True(await real.TrySaveStateAsync(callId, new TranscriptState(null, Start, 0, "their-token", "evt_other"), default, token));
                    return false;
                }

                return await real.TrySaveStateAsync(callId, state, etag, token);
            });
        var (coalescer, sent) = Coalescer(store.Object);

        await coalescer.RequestFetchAsync(_callId, "evt_1", null, CancellationToken.None);

        Assert.Empty(sent.All);
        Assert.Equal(("their-token", "evt_other"), ((await StateAsync())!.Token, (await StateAsync())!.ScheduledBy));
    }

    [Fact]
    public async Task StateChangingUnderEveryTry_FailsForTheHostToRetry_AndSendsNothing()
    {
        var store = new Mock<TranscriptStore>(new TableServiceClient(azurite.ConnectionString)) { CallBase = true };
        store.Setup(s => s.TrySaveStateAsync(It.IsAny<string>(), It.IsAny<TranscriptState>(), It.IsAny<ETag>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(false);
        var (coalescer, sent) = Coalescer(store.Object);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => coalescer.RequestFetchAsync(_callId, "evt_1", null, CancellationToken.None));

        Assert.Contains(_callId, error.Message, StringComparison.Ordinal);
        Assert.Empty(sent.All);
        Assert.Null(await StateAsync());
    }
}
