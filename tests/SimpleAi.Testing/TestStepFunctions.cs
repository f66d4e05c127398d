using Microsoft.Azure.Functions.Worker;
using SimpleAi.Functions;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Testing;

/// <summary>The queue-triggered functions of the test-only steps a, b and c, written as the app's step functions are.</summary>
public sealed class StepAFunction(QueueInvocations queues)
{
    [Function("step-a")]
    public Task Run([QueueTrigger("step-a", Connection = ConnectionNames.Storage)] string message, FunctionContext context) =>
        queues.RunStepAsync("a", message, context);
}

public sealed class StepBFunction(QueueInvocations queues)
{
    [Function("step-b")]
    public Task Run([QueueTrigger("step-b", Connection = ConnectionNames.Storage)] string message, FunctionContext context) =>
        queues.RunStepAsync("b", message, context);
}

public sealed class StepCFunction(QueueInvocations queues)
{
    [Function("step-c")]
    public Task Run([QueueTrigger("step-c", Connection = ConnectionNames.Storage)] string message, FunctionContext context) =>
        queues.RunStepAsync("c", message, context);
}
