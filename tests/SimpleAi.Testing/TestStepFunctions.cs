using Microsoft.Azure.Functions.Worker;
using SimpleAi.Functions.Workflow;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Testing;

/// <summary>The queue-triggered functions of the test-only steps a, b and c, written as the app's step functions are.</summary>
public sealed class StepAFunction(StepTrigger trigger)
{
    [Function("step-a")]
    public Task Run([QueueTrigger("step-a", Connection = ConnectionNames.Storage)] string message, FunctionContext context) =>
        trigger.RunAsync("a", message, context);
}

public sealed class StepBFunction(StepTrigger trigger)
{
    [Function("step-b")]
    public Task Run([QueueTrigger("step-b", Connection = ConnectionNames.Storage)] string message, FunctionContext context) =>
        trigger.RunAsync("b", message, context);
}

public sealed class StepCFunction(StepTrigger trigger)
{
    [Function("step-c")]
    public Task Run([QueueTrigger("step-c", Connection = ConnectionNames.Storage)] string message, FunctionContext context) =>
        trigger.RunAsync("c", message, context);
}
