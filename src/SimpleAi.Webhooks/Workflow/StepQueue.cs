using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>Sends the message of a step the run has queued (with the token it recorded) to that step's queue.</summary>
public sealed class StepQueue(IQueueSender sender)
{
    public Task SendAsync(
        WorkflowRun run, string step, string? traceParent, string? traceState, CancellationToken cancellationToken, TimeSpan? delay = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var message = RunStore.MessageFor(run, step, traceParent, traceState);
        var token = message.Token;
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["run_id"] = run.RunId,
            ["call_id"] = run.CallId,
        };
        if (traceParent is not null)
        {
            properties["Diagnostic-Id"] = traceParent;
        }

        return sender.SendAsync(
            new OutboundMessage(QueueNames.Step(step), message.Encode(), $"{run.RunId}:{step}:{token}:{run.Steps[step].Attempts}", step, properties)
            {
                VisibleAfter = delay,
            },
            cancellationToken);
    }
}
