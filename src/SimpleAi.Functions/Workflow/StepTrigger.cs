using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Functions.Workflow;

/// <summary>
/// What every step function does: hand its message, with the host's message id and try number, to the
/// <see cref="StepRunner"/>. A step function is then three lines:
/// <code>
/// [Function("step-notify")]
/// public Task Run([QueueMessageTrigger("step-notify", Connection = ConnectionNames.Storage)] string message, FunctionContext context)
///     => StepTrigger.RunAsync(runner, "notify", message, context);
/// </code>
/// </summary>
public static class StepTrigger
{
    public static Task RunAsync(StepRunner runner, string step, string message, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(context);
        return runner.RunAsync(step, message, DeliveryOf(context), context.CancellationToken);
    }

    /// <summary>Storage Queues bind <c>Id</c> and <c>DequeueCount</c>; Service Bus binds <c>MessageId</c> and <c>DeliveryCount</c>.</summary>
    public static QueueDelivery DeliveryOf(FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.BindingContext.BindingData;
        var id = (data.TryGetValue("Id", out var storageId) ? storageId : data.GetValueOrDefault("MessageId"))?.ToString()
            ?? context.InvocationId;
        var count = data.TryGetValue("DequeueCount", out var dequeueCount) ? dequeueCount : data.GetValueOrDefault("DeliveryCount");
        return new QueueDelivery(id, Convert.ToInt64(count ?? 1, CultureInfo.InvariantCulture));
    }
}
