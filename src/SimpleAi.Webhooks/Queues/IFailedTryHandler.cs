namespace SimpleAi.Webhooks.Queues;

/// <summary>
/// What the transport does with a failed try of a queue message: retry it later, or give it up to the poison queue on
/// its last try. The one seam between Storage Queues (the host retries) and Service Bus (the app re-sends).
/// </summary>
public interface IFailedTryHandler
{
    /// <summary>Returns when the try is taken care of (the host may settle the message); throws to let the host retry it.</summary>
    Task HandleAsync(FailedTry failed, CancellationToken cancellationToken);
}
