using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// The workflow engine and the seams through which features give it what it runs: steps (<see cref="AddWorkflowStep{TStep}"/>),
/// the fields their rules read (<see cref="AddRuleFields"/>), their own checks of a step's settings
/// (<see cref="AddWorkflowCheck{TCheck}"/>), and the workflow to run when the configuration names no step
/// (<see cref="AddDefaultWorkflow"/>).
/// </summary>
public static class WorkflowServiceCollectionExtensions
{
    /// <summary>The step runner, the run store, the starter, and the workflow built from <c>Workflow</c> (validated at start).</summary>
    public static IServiceCollection AddWorkflowEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<WorkflowOptions, WorkflowOptionsValidator>(configuration, WorkflowOptions.Section);
        services.TryAddSingleton<WorkflowContributions>();
        services.TryAddSingleton(provider => WorkflowRules.Build(
            provider.GetRequiredService<IOptions<WorkflowOptions>>().Value, provider.GetRequiredService<WorkflowContributions>()));
        services.TryAddSingleton<RunStore>();
        services.TryAddSingleton<StepQueue>();
        services.TryAddSingleton<WorkflowStarter>();
        services.TryAddSingleton<IGoneRuns, NoGoneRuns>();
        services.TryAddSingleton<StepRunner>();
        return services;
    }

    /// <summary>
    /// Makes a step available to the workflow configuration under <paramref name="name"/> (its queue is
    /// <c>step-&lt;name&gt;</c>, and it needs a function on that queue). The step is the <see cref="IWorkflowStep"/> keyed by
    /// the name, so one class can serve several names (its constructor may take the name as <c>[ServiceKey] string</c>).
    /// </summary>
    public static IServiceCollection AddWorkflowStep<TStep>(this IServiceCollection services, string name)
        where TStep : class, IWorkflowStep
    {
        services.AddSingleton(new WorkflowStepRegistration(name, typeof(TStep)));
        services.TryAddKeyedSingleton<IWorkflowStep, TStep>(name);
        return services;
    }

    /// <summary>Fields a feature's step puts into the run's data, which workflow rules may then read.</summary>
    public static IServiceCollection AddRuleFields(this IServiceCollection services, RuleFields fields)
    {
        services.AddSingleton(fields);
        return services;
    }

    /// <summary>A feature's own start-up check of every step the app will run.</summary>
    public static IServiceCollection AddWorkflowCheck<TCheck>(this IServiceCollection services)
        where TCheck : class, IWorkflowCheck
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkflowCheck, TCheck>());
        return services;
    }

    /// <summary>The steps to run, without conditions, when the workflow configuration names none.</summary>
    public static IServiceCollection AddDefaultWorkflow(this IServiceCollection services, params string[] steps)
    {
        services.AddSingleton(new DefaultWorkflow(steps.Select(step => new StepRule { Step = step }).ToList()));
        return services;
    }
}
