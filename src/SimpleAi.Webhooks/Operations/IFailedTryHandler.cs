using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// What the transport does with a failed try of a queue message: retry it later, or give it up to the poison queue on
/// its last try. The one seam between Storage Queues (the host retries) and Service Bus (the app re-sends).
/// </summary>
public interface IFailedTryHandler
{
    /// <summary>Takes care of the failed try, or says the host must: the queue function then throws its error.</summary>
    Task<FailedTryHandling> HandleAsync(FailedTry failed, CancellationToken cancellationToken);
}

/// <summary>Who retries a failed try.</summary>
public enum FailedTryHandling
{
    /// <summary>The app took care of it (re-sent for later, or poisoned): the host settles the message.</summary>
    Settled,

    /// <summary>The host does: the queue function throws the try's error, so the host tries the message again or poisons it.</summary>
    HostRetries,
}

/// <summary>
/// Storage Queues: the failure goes back to the host, whose listener makes the message visible again after host.json's
/// <c>visibilityTimeout</c> and moves it to <c>&lt;queue&gt;-poison</c> after <c>maxDequeueCount</c> tries
/// (the <c>PoisonSweep</c> function then records what it left undone).
/// </summary>
public sealed class StorageQueuesFailedTries : IFailedTryHandler
{
    public Task<FailedTryHandling> HandleAsync(FailedTry failed, CancellationToken cancellationToken) =>
        Task.FromResult(FailedTryHandling.HostRetries);
}
