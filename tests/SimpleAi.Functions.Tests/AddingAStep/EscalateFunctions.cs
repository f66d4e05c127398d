using Microsoft.Azure.Functions.Worker;
using QueueMessageTriggerAttribute = Microsoft.Azure.Functions.Worker.QueueTriggerAttribute;

namespace SimpleAi.Functions.Tests.AddingAStep;

/// <summary>README "Adding a step in code", step 2: the line StepFunctions gets, here in a class of the test's own.</summary>
public sealed class EscalateFunctions(QueueInvocations queues)
{
    [Function("step-escalate")]
    public Task Escalate([QueueMessageTrigger("step-escalate", Connection = FunctionsBuild.QueueConnection)] string message, FunctionContext context) => queues.RunStepAsync("escalate", message, context);
}
