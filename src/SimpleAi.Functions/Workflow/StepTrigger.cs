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
        return runner.RunAsync(step, message, QueueDeliveries.From(context), context.CancellationToken);
    }
}
