using SimpleAi.LocalHost.Metadata;
using SimpleAi.Functions;

namespace SimpleAi.Infra.Tests;

/// <summary>
/// What a step needs to run in Azure: a registration (its class), a queue-triggered function on <c>step-&lt;name&gt;</c>,
/// and that queue with its poison queue in infra/main.bicep. A step named in <c>workflow.json</c> or registered, or a
/// function on a step queue, without the others is a problem.
/// </summary>
public static class StepWiring
{
    public static List<string> Problems(
        IEnumerable<string> registered, IEnumerable<string> configured, IEnumerable<string> functionQueues, IEnumerable<string> provisionedQueues)
    {
        var registrations = registered.ToHashSet(StringComparer.Ordinal);
        var functions = functionQueues.ToHashSet(StringComparer.Ordinal);
        var queues = provisionedQueues.ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var step in registrations.Union(configured).Order(StringComparer.Ordinal))
        {
            var queue = QueueNames.Step(step);
            if (!registrations.Contains(step))
            {
                problems.Add($"step '{step}' is in the workflow but not registered (AddWorkflowStep or AddActionStep)");
            }

            if (!functions.Contains(queue))
            {
                problems.Add($"step '{step}' has no function: add [Function(\"{queue}\")] with [QueueMessageTrigger(\"{queue}\", …)] to StepFunctions");
            }

            problems.AddRange(new[] { queue, QueueNames.PoisonOf(queue) }
                .Where(q => !queues.Contains(q))
                .Select(q => $"step '{step}' has no queue '{q}' in infra/main.bicep: add '{step}' to builtInSteps"));
        }

        problems.AddRange(functions
            .Where(q => q.StartsWith(QueueNames.Step(string.Empty), StringComparison.Ordinal) && !registrations.Any(s => QueueNames.Step(s) == q))
            .Order(StringComparer.Ordinal)
            .Select(q => $"the function on '{q}' has no registered step"));
        return problems;
    }

    /// <summary>The steps the app registers, as every host builds it (<c>AddSimpleAiFunctionsApp</c>), plus <paramref name="configure"/>.</summary>
    public static List<string> RegisteredSteps(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSimpleAiFunctionsApp(new ConfigurationBuilder().Build());
        configure?.Invoke(services);
        return services.Where(d => d.ServiceType == typeof(WorkflowStepRegistration))
            .Select(d => ((WorkflowStepRegistration)d.ImplementationInstance!).Name)
            .ToList();
    }

    /// <summary>The steps a workflow file names, as the app reads it (no steps: the default workflow a feature gives).</summary>
    public static List<string> ConfiguredSteps(IConfiguration workflowFile)
    {
        var services = new ServiceCollection();
        services.AddSingleton(workflowFile);
        services.AddSimpleAiFunctionsApp(workflowFile);
        using var app = services.BuildServiceProvider();
        var options = workflowFile.GetSection(WorkflowOptions.Section).Get<WorkflowOptions>() ?? new WorkflowOptions();
        return app.GetRequiredService<WorkflowContributions>().RulesOf(options).Select(r => r.Step).ToList();
    }

    /// <summary>The queues the app's functions listen on, as the Functions host indexes them (functions.metadata, written at build).</summary>
    public static List<string> AppFunctionQueues()
    {
        var app = typeof(HttpFunctions).Assembly;
        return FunctionMetadataReader.Read(Path.Combine(Path.GetDirectoryName(app.Location)!, FunctionMetadataReader.FileName), app)
            .Select(f => f.QueueName)
            .OfType<string>()
            .ToList();
    }
}
