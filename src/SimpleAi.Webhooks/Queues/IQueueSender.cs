namespace SimpleAi.Webhooks.Queues;

/// <summary>The send side of the queue transport seam: Storage Queues or Service Bus.</summary>
public interface IQueueSender
{
    /// <summary>Returns once the broker has durably accepted the message.</summary>
    /// <exception cref="QueueUnavailableException">The broker could not be reached or refused the message.</exception>
    Task SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}
