using System.Runtime.ExceptionServices;

namespace SimpleAi.Webhooks.Queues;

/// <summary>
/// Storage Queues: the failure goes back to the host, whose listener makes the message visible again after host.json's
/// <c>visibilityTimeout</c> and moves it to <c>&lt;queue&gt;-poison</c> after <c>maxDequeueCount</c> tries
/// (the <c>PoisonSweep</c> function then records what it left undone).
/// </summary>
public sealed class StorageQueuesFailedTries : IFailedTryHandler
{
    public Task HandleAsync(FailedTry failed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failed);
        ExceptionDispatchInfo.Throw(failed.Error);
        return Task.CompletedTask;
    }
}
