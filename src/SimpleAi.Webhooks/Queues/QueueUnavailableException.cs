namespace SimpleAi.Webhooks.Queues;

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
