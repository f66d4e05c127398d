using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Functions.Workflow;

/// <summary>
/// What every queue function does around its work: reads the host's delivery facts, and hands a failed try to the
/// transport's <see cref="IFailedTryHandler"/> (Storage Queues: back to the host; Service Bus: re-sent for later).
/// </summary>
public sealed class QueueTry(IFailedTryHandler failures)
{
    public async Task RunAsync(string queue, string message, FunctionContext context, Func<QueueDelivery, CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        var delivery = QueueDeliveries.From(context);
        var cancellationToken = context.CancellationToken;
        try
        {
            await work(delivery, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await failures.HandleAsync(new FailedTry(queue, message, delivery, e), cancellationToken);
        }
    }
}
