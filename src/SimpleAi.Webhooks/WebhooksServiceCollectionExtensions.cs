using Microsoft.Extensions.Azure;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Console;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Destinations;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Ingest;
using SimpleAi.Webhooks.Lifecycle;
using SimpleAi.Webhooks.Operations;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.PreCall;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Routing;
using SimpleAi.Webhooks.SimpleAiApi;
using SimpleAi.Webhooks.Transcripts;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks;

public static class WebhooksServiceCollectionExtensions
{
    /// <summary>
    /// The core's features, each registered by its own folder: remove a line and the feature is gone, add one and it is
    /// there. Options are validated at start (the app refuses to start with a missing or malformed secret); the queues
    /// are those of <paramref name="transport"/>.
    /// </summary>
    public static IServiceCollection AddSimpleAiWebhooks(
        this IServiceCollection services, IConfiguration configuration, QueueTransport transport)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services
            .AddHostingDefaults()
            .AddStorageClients(configuration)
            .AddQueueTransport(configuration, transport)
            .AddPoisonHandling(transport)
            .AddSimpleAiApi(configuration)
            .AddIngest(configuration)
            .AddEventRouting()
            .AddWorkflowEngine(configuration)
            .AddPostCall()
            .AddActions(configuration)
            .AddDestinationGate(configuration)
            .AddCallStarted(configuration)
            .AddLiveTranscripts(configuration)
            .AddPreCall(configuration)
            .AddConsole(configuration, transport)
            .AddCallDataLifecycle(configuration);
    }

    /// <summary>
    /// What every feature shares: the clock, the Azure client factory, and HTTP clients that log the endpoint only
    /// (outbound URLs are secrets: no client keeps the factory's default loggers, which write the full URI).
    /// </summary>
    private static IServiceCollection AddHostingDefaults(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddAzureClientsCore();
        services.TryAddSingleton<EndpointOnlyHttpLogger>();
        services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers().AddLogger<EndpointOnlyHttpLogger>());
        return services;
    }
}
