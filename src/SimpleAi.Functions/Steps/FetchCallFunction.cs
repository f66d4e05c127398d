using Microsoft.Azure.Functions.Worker;
using SimpleAi.Functions.Workflow;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Functions.Steps;

/// <summary>The queue of the <c>fetch-call</c> step (see <see cref="SimpleAi.Webhooks.PostCall.FetchCallStep"/>).</summary>
public sealed class FetchCallFunction(StepTrigger trigger)
{
    private const string Step = "fetch-call";

    [Function("step-" + Step)]
    public Task Run(
        [QueueMessageTrigger("step-" + Step, Connection = FunctionsBuild.QueueConnection)] string message,
        FunctionContext context) =>
        trigger.RunAsync(Step, message, context);
}
