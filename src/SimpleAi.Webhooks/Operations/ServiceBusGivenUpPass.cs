using Azure.Messaging.ServiceBus;

namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// A pass over a Service Bus queue of given-up messages: a <c>&lt;queue&gt;-poison</c> queue, or with
/// <paramref name="deadLetters"/> a dead-letter queue, whose messages the broker gave up for the reason they carry.
/// A received message stays locked until it is completed or, held, abandoned when the pass ends. A
/// <paramref name="lookOnly"/> pass peeks instead: a peek takes no lock and does not count as a delivery.
/// </summary>
public sealed class ServiceBusGivenUpPass(ServiceBusReceiver receiver, bool deadLetters, bool lookOnly, TimeSpan maxWait)
    : IGivenUpPass<ServiceBusReceivedMessage>
{
    private readonly List<ServiceBusReceivedMessage> _held = [];

    private long? _nextPeek;

    public async Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveAsync(int count, CancellationToken cancellationToken)
    {
        if (!lookOnly)
        {
            return await receiver.ReceiveMessagesAsync(count, maxWait, cancellationToken);
        }

        var batch = await receiver.PeekMessagesAsync(count, _nextPeek, cancellationToken);
        _nextPeek = batch.Count == 0 ? _nextPeek : batch[^1].SequenceNumber + 1;
        return batch;
    }

    public string IdOf(ServiceBusReceivedMessage message) => message.MessageId;

    public string TextOf(ServiceBusReceivedMessage message) => message.Body.ToString();

    public string ReasonOf(ServiceBusReceivedMessage message) => deadLetters
        ? $"the broker dead-lettered the message after delivery {message.DeliveryCount} ({message.DeadLetterReason ?? "no reason"}: {message.DeadLetterErrorDescription ?? "no description"})"
        : PoisonBookkeeping.HostGaveUp;

    public Task RemoveAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken) =>
        receiver.CompleteMessageAsync(message, cancellationToken);

    public void Hold(ServiceBusReceivedMessage message)
    {
        if (!lookOnly)
        {
            _held.Add(message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var message in _held)
        {
            await receiver.AbandonMessageAsync(message, cancellationToken: CancellationToken.None);
        }

        _held.Clear();
    }
}
