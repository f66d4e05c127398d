using Microsoft.Azure.Functions.Worker;
using SimpleAi.Functions.Workflow;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Functions.Steps;

/// <summary>The queue of the <c>follow-up</c> step (see <see cref="SimpleAi.Webhooks.Actions.FollowUpStep"/>).</summary>
public sealed class FollowUpFunction(StepTrigger trigger)
{
    private const string Step = "follow-up";

    [Function("step-" + Step)]
    public Task Run(
        [QueueMessageTrigger("step-" + Step, Connection = FunctionsBuild.QueueConnection)] string message,
        FunctionContext context) =>
        trigger.RunAsync(Step, message, context);
}
