using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Functions.Workflow;

/// <summary>
/// What every step function does: hand its message, with the host's message id and try number, to the
/// <see cref="StepRunner"/>, through the transport's <see cref="QueueTry"/>. A step function is then three lines:
/// <code>
/// [Function("step-notify")]
/// public Task Run([QueueMessageTrigger("step-notify", Connection = FunctionsBuild.QueueConnection)] string message, FunctionContext context)
///     => trigger.RunAsync("notify", message, context);
/// </code>
/// </summary>
public sealed class StepTrigger(StepRunner runner, QueueTry tries)
{
    public Task RunAsync(string step, string message, FunctionContext context) =>
        tries.RunAsync(QueueNames.Step(step), message, context, (delivery, cancellationToken) =>
            runner.RunAsync(step, message, delivery, cancellationToken));
}
