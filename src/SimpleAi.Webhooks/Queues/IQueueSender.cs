namespace SimpleAi.Webhooks.Queues;

/// <summary>The send side of the queue transport seam: Storage Queues or Service Bus.</summary>
public interface IQueueSender
{
    /// <summary>Returns once the broker has durably accepted the message.</summary>
    /// <exception cref="QueueUnavailableException">The broker could not be reached or refused the message.</exception>
    Task SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// One message for a queue. <see cref="Body"/> is self-describing JSON and is the same on every transport, so the
/// consuming functions read it the same way; <see cref="MessageId"/>, <see cref="Subject"/> and
/// <see cref="Properties"/> are broker metadata that Service Bus uses (duplicate detection, filtering, tracing).
/// </summary>
public sealed record OutboundMessage(
    string QueueName,
    BinaryData Body,
    string MessageId,
    string Subject,
    IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>Keep the message invisible this long (a delayed retry); null delivers it at once.</summary>
    public TimeSpan? VisibleAfter { get; init; }
}

/// <summary>The queue did not accept a message: the caller must not acknowledge what it was asked to enqueue.</summary>
public sealed class QueueUnavailableException : Exception
{
    public QueueUnavailableException()
    {
    }

    public QueueUnavailableException(string message)
        : base(message)
    {
    }

    public QueueUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
