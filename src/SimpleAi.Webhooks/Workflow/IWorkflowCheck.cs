namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// A feature's own start-up check of a step the app will run (named by the workflow, or started by a feature such as a
/// keyword trigger): what is wrong with its settings, never showing a secret. Registered with
/// <see cref="WorkflowServiceCollectionExtensions.AddWorkflowCheck{TCheck}"/>; a step no check speaks for passes.
/// </summary>
public interface IWorkflowCheck
{
    IEnumerable<string> Problems(WorkflowStepRegistration step);
}
