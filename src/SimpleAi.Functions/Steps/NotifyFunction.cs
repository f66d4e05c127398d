using Microsoft.Azure.Functions.Worker;
using SimpleAi.Functions.Workflow;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Functions.Steps;

/// <summary>The queue of the <c>notify</c> step (see <see cref="SimpleAi.Webhooks.Actions.NotifyStep"/>).</summary>
public sealed class NotifyFunction(StepTrigger trigger)
{
    private const string Step = "notify";

    [Function("step-" + Step)]
    public Task Run(
        [QueueMessageTrigger("step-" + Step, Connection = FunctionsBuild.QueueConnection)] string message,
        FunctionContext context) =>
        trigger.RunAsync(Step, message, context);
}
