using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Functions.Workflow;

/// <summary>The host's facts about a queue-triggered invocation, from its binding data.</summary>
public static class QueueDeliveries
{
    /// <summary>
    /// Storage Queues bind <c>Id</c> (stable across redeliveries) and <c>DequeueCount</c>. Service Bus binds
    /// <c>SequenceNumber</c>, <c>DeliveryCount</c> and <c>ApplicationProperties</c>, from which a copy the app re-sent
    /// after a failed try gives back its first delivery's id and the tries spent (<see cref="ServiceBusRetries"/>).
    /// </summary>
    public static QueueDelivery From(FunctionContext context)
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
