using Microsoft.Azure.Functions.Worker;
using SimpleAi.Functions.Workflow;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Routing;

namespace SimpleAi.Functions;

/// <summary>The <c>events</c> queue: dedupes each delivery and routes it (see <see cref="EventRouter"/>).</summary>
public sealed class RouteEvent(EventRouter router, QueueTry tries)
{
    [Function(nameof(RouteEvent))]
    public Task Run(
        [QueueMessageTrigger(QueueNames.Events, Connection = FunctionsBuild.QueueConnection)] string message,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return tries.RunAsync(QueueNames.Events, message, context, (delivery, cancellationToken) =>
            router.RouteAsync(message, delivery, cancellationToken));
    }
}
