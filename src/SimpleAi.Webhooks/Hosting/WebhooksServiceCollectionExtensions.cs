using Azure.Core;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Ingest;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Routing;
using SimpleAi.Webhooks.Signing;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Hosting;

public static class WebhooksServiceCollectionExtensions
{
    /// <summary>
    /// Wires the core: validated options (the app refuses to start with a missing or malformed secret), the signature
    /// verifier, the queue sender of <paramref name="transport"/>, and the ingest service.
    /// </summary>
    public static IServiceCollection AddSimpleAiWebhooks(
        this IServiceCollection services, IConfiguration configuration, QueueTransport transport)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<WebhookSigningOptions>()
            .Bind(configuration.GetSection(WebhookSigningOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookSigningOptions>, WebhookSigningOptionsValidator>();
        services.AddOptions<IngestOptions>()
            .Bind(configuration.GetSection(IngestOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddAzureClientsCore();
        services.TryAddSingleton<IWebhookVerifier>(provider =>
        {
            var signing = provider.GetRequiredService<IOptions<WebhookSigningOptions>>().Value;
            return new StandardWebhookVerifier(
                WebhookSecret.ParseList(signing.SigningSecrets),
                TimeSpan.FromSeconds(signing.TimestampToleranceSeconds),
                provider.GetRequiredService<TimeProvider>());
        });

        if (transport == QueueTransport.ServiceBus)
        {
            services.TryAddSingleton(provider => AzureConnections.CreateServiceBusClient(
                configuration, provider.GetRequiredService<AzureComponentFactory>()));
            services.TryAddSingleton<IQueueSender, ServiceBusQueueSender>();
        }
        else
        {
            services.TryAddSingleton(provider => AzureConnections.CreateQueueServiceClient(
                configuration, provider.GetRequiredService<AzureComponentFactory>()));
            services.TryAddSingleton<IQueueSender, StorageQueueSender>();
        }

        services.TryAddSingleton(provider => AzureConnections.CreateBlobServiceClient(
            configuration, provider.GetRequiredService<AzureComponentFactory>()));
        services.TryAddSingleton<EventBodyStore>();
        services.TryAddSingleton<WebhookIngestService>();

        services.AddOptions<WorkflowOptions>()
            .Bind(configuration.GetSection(WorkflowOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(provider => AzureConnections.CreateTableServiceClient(
            configuration, provider.GetRequiredService<AzureComponentFactory>()));
        services.TryAddSingleton<DeliveryLedger>();
        services.TryAddSingleton<RunStore>();
        services.TryAddSingleton<PoisonQueue>();
        services.TryAddSingleton<StepQueue>();
        services.TryAddSingleton<WorkflowStarter>();
        services.TryAddSingleton<StepRunner>();
        services.TryAddSingleton<EventRouter>();
        services.TryAddSingleton(new WorkflowDefinition([]));
        return services;
    }

    /// <summary>
    /// Declares the post-call workflow (replacing any earlier declaration) and registers its step classes. Each
    /// step also needs its queue-triggered function on <c>step-&lt;name&gt;</c>.
    /// </summary>
    public static IServiceCollection AddSimpleAiWorkflow(this IServiceCollection services, Action<WorkflowBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new WorkflowBuilder();
        configure(builder);
        var definition = new WorkflowDefinition(builder.Steps);
        services.RemoveAll<WorkflowDefinition>();
        services.AddSingleton(definition);
        foreach (var step in definition.Steps)
        {
            services.TryAddSingleton(step.StepType);
        }

        return services;
    }
}
