using System.Runtime.ExceptionServices;
using SimpleAi.Webhooks.Operations;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Functions;

/// <summary>
/// What every queue function does around its work: reads the host's facts about the delivery (<see cref="DeliveryOf"/>),
/// runs the work, and hands a failed try to the transport's <see cref="IFailedTryHandler"/> (Storage Queues: back to the
/// host, which tries the message again or poisons it; Service Bus: re-sent for later). The failed try's error is thrown
/// here, once, and only when the host is to retry it.
/// </summary>
public sealed class QueueInvocations(StepRunner steps, IFailedTryHandler failures)
{
    /// <summary>A step function's whole body: <c>[Function("step-notify")] … =&gt; queues.RunStepAsync("notify", message, context)</c>.</summary>
    public Task RunStepAsync(string step, string message, FunctionContext context) =>
        RunAsync(QueueNames.Step(step), message, context, (delivery, cancellationToken) => steps.RunAsync(step, message, delivery, cancellationToken));

    /// <summary>Runs work that throws on a failed try (the <c>events</c> and <c>transcript-fetch</c> queues).</summary>
    public Task RunAsync(string queue, string message, FunctionContext context, Func<QueueDelivery, CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunAsync(queue, message, context, async (delivery, cancellationToken) =>
        {
            await work(delivery, cancellationToken);
            return null;
        });
    }

    private async Task RunAsync(string queue, string message, FunctionContext context, Func<QueueDelivery, CancellationToken, Task<Exception?>> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        var delivery = DeliveryOf(context);
        var cancellationToken = context.CancellationToken;
        Exception? failed;
        try
        {
            failed = await work(delivery, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failed = e;
        }

        if (failed is not null && await failures.HandleAsync(new FailedTry(queue, message, delivery, failed), cancellationToken) == FailedTryHandling.HostRetries)
        {
            ExceptionDispatchInfo.Throw(failed);
        }
    }

    /// <summary>
    /// The host's facts about a queue-triggered invocation, from its binding data. Storage Queues bind <c>Id</c> (stable
    /// across redeliveries) and <c>DequeueCount</c>. Service Bus binds <c>SequenceNumber</c>, <c>DeliveryCount</c> and
    /// <c>ApplicationProperties</c>, from which a copy the app re-sent after a failed try gives back its first
    /// delivery's id and the tries spent (<see cref="ServiceBusRetries"/>).
    /// </summary>
    public static QueueDelivery DeliveryOf(FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.BindingContext.BindingData;
        if (data.TryGetValue("Id", out var storageId) && storageId is not null)
        {
            return new QueueDelivery(storageId.ToString()!, Count(data.GetValueOrDefault("DequeueCount")));
        }

        if (data.TryGetValue("SequenceNumber", out var sequenceNumber) && sequenceNumber is not null)
        {
            return ServiceBusRetries.DeliveryOf(
                Convert.ToString(sequenceNumber, CultureInfo.InvariantCulture)!,
                Count(data.GetValueOrDefault("DeliveryCount")),
                data.GetValueOrDefault("ApplicationProperties") as string);
        }

        return new QueueDelivery(context.InvocationId, 1);
    }

    private static long Count(object? value) => Convert.ToInt64(value ?? 1, CultureInfo.InvariantCulture);
}
