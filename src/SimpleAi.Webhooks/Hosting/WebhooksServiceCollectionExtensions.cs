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
using SimpleAi.Webhooks.Signing;

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
        return services;
    }
}
