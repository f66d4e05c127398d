namespace SimpleAi.Webhooks.Workflow;

/// <summary>Declares the post-call workflow in order: <c>workflow.Step&lt;FetchCall&gt;("fetch-call")</c>.</summary>
public sealed class WorkflowBuilder
{
    private readonly List<WorkflowStepDefinition> _steps = [];

    internal IReadOnlyList<WorkflowStepDefinition> Steps => _steps;

    /// <param name="when">Runs the step only when this holds for the run's data; always when null.</param>
    public WorkflowBuilder Step<TStep>(string name, Func<IReadOnlyDictionary<string, string>, bool>? when = null)
        where TStep : class, IWorkflowStep
    {
        _steps.Add(new WorkflowStepDefinition(name, typeof(TStep), when ?? (_ => true)));
        return this;
    }
}
