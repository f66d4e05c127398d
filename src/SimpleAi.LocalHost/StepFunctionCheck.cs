using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.LocalHost;

/// <summary>The local host's start-up check that every registered step has its queue-triggered function.</summary>
internal static class StepFunctionCheck
{
    /// <summary>A workflow step without a queue-triggered function would never run: refuse to start instead.</summary>
    public static void Require(IServiceProvider app, IReadOnlyList<LocalFunction> functions)
    {
        var queues = functions.Select(f => f.QueueName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var step in app.GetServices<WorkflowStepRegistration>())
        {
            var queue = QueueNames.Step(step.Name);
            if (!queues.Contains(queue))
            {
                throw new InvalidOperationException(
                    $"The workflow step '{step.Name}' ({step.StepType.FullName}) has no queue-triggered function on '{queue}': " +
                    $"add a [Function(\"{queue}\")] method with [QueueMessageTrigger(\"{queue}\", Connection = ...)] that calls QueueInvocations.RunStepAsync.");
            }
        }
    }
}
