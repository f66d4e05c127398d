using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Queues;

namespace SimpleAi.Webhooks.Queues;

/// <summary>
/// Sends to Azure Storage Queues. Messages never expire (a queued event must not be lost to the 7-day default),
/// and a queue that does not exist yet is created on first use.
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
            await SendOrCreateAsync(queue, message.Body, visibleAfter, cancellationToken);
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

    private static async Task SendOrCreateAsync(QueueClient queue, BinaryData body, TimeSpan? visibleAfter, CancellationToken cancellationToken)
    {
        try
        {
            await queue.SendMessageAsync(body, visibleAfter, NeverExpires, cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == "QueueNotFound")
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await queue.SendMessageAsync(body, visibleAfter, NeverExpires, cancellationToken);
        }
    }
}
