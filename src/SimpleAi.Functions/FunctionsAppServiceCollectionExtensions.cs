using Microsoft.Extensions.DependencyInjection.Extensions;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks;

namespace SimpleAi.Functions;

/// <summary>
/// The app's configuration sources and services, as every host of the app builds them: Program.cs (the isolated
/// worker under the Functions host), SimpleAi.LocalHost (the WebJobs listeners without Core Tools) and the tests. One
/// method each, so the hosts cannot drift apart.
/// </summary>
public static class FunctionsAppServiceCollectionExtensions
{
    /// <summary>The workflow's steps and rules, next to the app's binaries (optional: without it the app fetches each call and stops).</summary>
    public const string WorkflowFile = SimpleAi.Webhooks.Actions.Transformations.TransformationFiles.WorkflowFile;

    /// <summary>Adds <see cref="WorkflowFile"/> (resolved against the builder's base path) to the app's configuration.</summary>
    public static IConfigurationBuilder AddSimpleAiWorkflowFile(this IConfigurationBuilder configuration) =>
        configuration.AddJsonFile(WorkflowFile, optional: true, reloadOnChange: false);

    /// <summary>
    /// Every feature of the app: the core's features, one line each in <see cref="WebhooksServiceCollectionExtensions.AddSimpleAiWebhooks"/>
    /// (built for this build's queue transport), their telemetry, and what the queue functions share
    /// (<see cref="QueueInvocations"/>).
    /// </summary>
    public static IServiceCollection AddSimpleAiFunctionsApp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSimpleAiWebhooks(configuration, FunctionsBuild.QueueTransport)
            .AddSimpleAiTelemetry(configuration);
        services.TryAddSingleton<QueueInvocations>();
        return services;
    }
}
