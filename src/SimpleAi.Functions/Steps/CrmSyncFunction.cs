using Microsoft.Azure.Functions.Worker;
using SimpleAi.Functions.Workflow;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Functions.Steps;

/// <summary>The queue of the <c>crm-sync</c> step (see <see cref="SimpleAi.Webhooks.Actions.CrmSyncStep"/>).</summary>
public sealed class CrmSyncFunction(StepTrigger trigger)
{
    private const string Step = "crm-sync";

    [Function("step-" + Step)]
    public Task Run(
        [QueueMessageTrigger("step-" + Step, Connection = FunctionsBuild.QueueConnection)] string message,
        FunctionContext context) =>
        trigger.RunAsync(Step, message, context);
}
