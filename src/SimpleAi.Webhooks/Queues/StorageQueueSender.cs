using System.Collections.Concurrent;
using Azure.Storage.Queues;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Queues;

/// <summary>
/// Sends to Azure Storage Queues. Messages never expire (a queued event must not be lost to the 7-day default). Queues
/// are provisioned (the Bicep in Azure, the local host at start): a missing one fails the send naming the queue, and
/// ingest answers 503, so Simple AI retries the event once the queue exists.
/// </summary>
public sealed class StorageQueueSender(QueueServiceClient service) : IQueueSender
{
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    private readonly ConcurrentDictionary<string, QueueClient> _queues = new(StringComparer.Ordinal);

    public async Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var queue = _queues.GetOrAdd(message.QueueName, service.GetQueueClient);
        try
        {
            // The service takes whole seconds and the SDK truncates: round up, or a 1.9 s delay would become 1 s.
            var visibleAfter = message.VisibleAfter is { } delay ? TimeSpan.FromSeconds(Math.Ceiling(delay.TotalSeconds)) : (TimeSpan?)null;
            await queue.SendMessageAsync(message.Body, visibleAfter, NeverExpires, cancellationToken);
        }
        catch (StorageResourceMissingException e)
        {
            throw new QueueUnavailableException(e.Message, e);
        }
        catch (RequestFailedException e)
        {
            throw new QueueUnavailableException(
                $"Storage queue '{message.QueueName}' did not accept the message ({e.Status} {e.ErrorCode}).", e);
        }
        catch (Exception e) when (e is AggregateException or HttpRequestException or IOException or TimeoutException)
        {
            // Azure.Core reports "Retry failed after N tries" on connection failures as an AggregateException.
            throw new QueueUnavailableException($"Storage queue '{message.QueueName}' is unreachable.", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new QueueUnavailableException($"Storage queue '{message.QueueName}' timed out.", e);
        }
    }

}
