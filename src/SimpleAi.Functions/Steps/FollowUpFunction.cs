using Microsoft.Azure.Functions.Worker;
using SimpleAi.Functions.Workflow;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Functions.Steps;

/// <summary>The queue of the <c>follow-up</c> step (see <see cref="SimpleAi.Webhooks.Actions.FollowUpStep"/>).</summary>
public sealed class FollowUpFunction(StepRunner runner)
{
    private const string Step = "follow-up";

    [Function("step-" + Step)]
    public Task Run(
        [QueueMessageTrigger("step-" + Step, Connection = ConnectionNames.Storage)] string message,
        FunctionContext context) =>
        StepTrigger.RunAsync(runner, Step, message, context);
}
