using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Functions.Workflow;

/// <summary>The host's facts about a queue-triggered invocation, from its binding data.</summary>
public static class QueueDeliveries
{
    /// <summary>
    /// Storage Queues bind <c>Id</c> (stable across redeliveries) and <c>DequeueCount</c>; Service Bus binds
    /// <c>SequenceNumber</c> (stable, unique per enqueued message) and <c>DeliveryCount</c>.
    /// </summary>
    public static QueueDelivery From(FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.BindingContext.BindingData;
        var id = (data.TryGetValue("Id", out var storageId) ? storageId : data.GetValueOrDefault("SequenceNumber"))?.ToString()
            ?? context.InvocationId;
        var count = data.TryGetValue("DequeueCount", out var dequeueCount) ? dequeueCount : data.GetValueOrDefault("DeliveryCount");
        return new QueueDelivery(id, Convert.ToInt64(count ?? 1, CultureInfo.InvariantCulture));
    }
}
