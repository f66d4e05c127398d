using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Actions;

/// <summary>An action step the app runs (in the workflow or from a keyword trigger) needs a usable endpoint (<c>Actions:&lt;step&gt;</c>).</summary>
public sealed class ActionEndpointCheck(IConfiguration configuration) : IWorkflowCheck
{
    public IEnumerable<string> Problems(WorkflowStepRegistration step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return typeof(ActionStep).IsAssignableFrom(step.StepType) ? ActionEndpointValidation.Problems(configuration, step.Name) : [];
    }
}
