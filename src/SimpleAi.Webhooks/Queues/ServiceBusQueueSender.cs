using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;

namespace SimpleAi.Webhooks.Queues;

/// <summary>
/// Sends to Azure Service Bus queues: <c>MessageId</c> is the event id (broker duplicate detection; see
/// <see cref="ServiceBusMessageIds"/> for ids above the broker's limit), <c>Subject</c> the event type, and the metadata
/// travels as application properties. Whatever stops a send is a <see cref="QueueUnavailableException"/>, so ingest
/// answers 503 and Simple AI retries, never 500.
/// </summary>
public sealed class ServiceBusQueueSender(ServiceBusClient client, TimeProvider time) : IQueueSender, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ServiceBusSender> _senders = new(StringComparer.Ordinal);

    public async Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sender = _senders.GetOrAdd(message.QueueName, client.CreateSender);
        try
        {
            await sender.SendMessageAsync(ToServiceBusMessage(message, time.GetUtcNow()), cancellationToken);
        }
        catch (ServiceBusException e)
        {
            throw new QueueUnavailableException(
                $"Service Bus queue '{message.QueueName}' did not accept the message ({e.Reason}).", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new QueueUnavailableException($"Service Bus queue '{message.QueueName}' refused the identity.", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new QueueUnavailableException($"Service Bus queue '{message.QueueName}' timed out.", e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A closed or disposed client, a credential that cannot get a token, or a message the SDK refuses.
            throw new QueueUnavailableException($"Service Bus queue '{message.QueueName}' could not be sent to ({e.GetType().Name}).", e);
        }
    }

    internal static ServiceBusMessage ToServiceBusMessage(OutboundMessage message, DateTimeOffset now)
    {
        var busMessage = new ServiceBusMessage(message.Body)
        {
            MessageId = ServiceBusMessageIds.For(message.MessageId),
            Subject = message.Subject,
            ContentType = "application/json",
        };
        if (message.VisibleAfter is { } delay)
        {
            busMessage.ScheduledEnqueueTime = now + delay;
        }

        foreach (var (name, value) in message.Properties)
        {
            busMessage.ApplicationProperties[name] = value;
        }

        return busMessage;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values)
        {
            await sender.DisposeAsync();
        }
    }
}
