using Azure.Core;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Actions.Transformations;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Destinations;
using SimpleAi.Webhooks.Transcripts;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Operations;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.PreCall;
using SimpleAi.Webhooks.SimpleAiApi;
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

        // Outbound URLs are secrets: no HTTP client keeps the factory's default loggers, which write the full URI.
        services.TryAddSingleton<EndpointOnlyHttpLogger>();
        services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers().AddLogger<EndpointOnlyHttpLogger>());
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
            services.TryAddSingleton<IFailedTryHandler, ServiceBusFailedTries>();
            services.TryAddSingleton<IPoisonSweeper, ServiceBusDeadLetterSweeper>();
        }
        else
        {
            services.TryAddSingleton(provider => AzureConnections.CreateQueueServiceClient(
                configuration, provider.GetRequiredService<AzureComponentFactory>()));
            services.TryAddSingleton<IQueueSender, StorageQueueSender>();
            services.TryAddSingleton<IFailedTryHandler, StorageQueuesFailedTries>();

            services.TryAddSingleton<PoisonSweeper>();
            services.TryAddSingleton<IPoisonSweeper>(provider => provider.GetRequiredService<PoisonSweeper>());
        }

        services.TryAddSingleton(provider => AzureConnections.CreateBlobServiceClient(
            configuration, provider.GetRequiredService<AzureComponentFactory>()));
        services.TryAddSingleton<EventBodyStore>();
        services.TryAddSingleton<WebhookIngestService>();

        services.AddOptions<WorkflowOptions>()
            .Bind(configuration.GetSection(WorkflowOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkflowOptions>>(provider => new WorkflowOptionsValidator(
            provider.GetServices<WorkflowStepRegistration>(), configuration));
        services.TryAddSingleton(provider => AzureConnections.CreateTableServiceClient(
            configuration, provider.GetRequiredService<AzureComponentFactory>()));
        services.TryAddSingleton<DeliveryLedger>();
        services.TryAddSingleton<RunStore>();
        services.TryAddSingleton<PoisonBookkeeping>();
        services.TryAddSingleton<PoisonQueue>();
        services.TryAddSingleton<StepQueue>();
        services.TryAddSingleton<WorkflowStarter>();
        services.TryAddSingleton<StepRunner>();
        services.TryAddSingleton<EventRouter>();
        services.TryAddSingleton(provider => WorkflowRules.Build(
            provider.GetRequiredService<IOptions<WorkflowOptions>>().Value, provider.GetServices<WorkflowStepRegistration>()));

        services.AddOptions<PreCallOptions>()
            .Bind(configuration.GetSection(PreCallOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<PreCallOptions>, PreCallSecrets>();
        services.TryAddSingleton<ContactStore>();
        services.TryAddSingleton<PreCallService>();
        services.AddHttpClient(PreCallService.EnrichmentClient);

        services.AddOptions<CallStartedOptions>().Bind(configuration.GetSection(CallStartedOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CallStartedOptions>, CallStartedOptionsValidator>();
        services.TryAddSingleton<CallRecords>();
        services.AddOptions<TranscriptOptions>()
            .Bind(configuration.GetSection(TranscriptOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TranscriptOptions>>(provider => new TranscriptOptionsValidator(
            provider.GetServices<WorkflowStepRegistration>(), configuration));
        services.TryAddSingleton<TranscriptStore>();
        services.TryAddSingleton<TranscriptCoalescer>();
        services.TryAddSingleton<TranscriptFetcher>();
        services.TryAddSingleton<KeywordTriggers>();

        services.AddSimpleAiApi(configuration);
        services.TryAddSingleton<CallSnapshotStore>();
        services.AddHttpClient(ActionStep.HttpClientName);
        services.TryAddSingleton<DestinationRateLimiter>();
        services.TryAddSingleton<ActionDeliverer>();
        services.AddSingleton<IPostConfigureOptions<ActionEndpointOptions>>(new TransformationLoader(configuration));
        services.AddWorkflowStep<FetchCallStep>(FetchCallStep.Name);
        services.AddActionStep<CrmSyncStep>(CrmSyncStep.Name, configuration);
        services.AddActionStep<FollowUpStep>(FollowUpStep.Name, configuration);
        services.AddActionStep<TicketStep>(TicketStep.Name, configuration);
        services.AddActionStep<NotifyStep>(NotifyStep.Name, configuration);
        services.AddDestinationGate(configuration);
        return services;
    }

    /// <summary>
    /// Makes a step available to the workflow configuration under <paramref name="name"/> (its queue is
    /// <c>step-&lt;name&gt;</c>, and it needs a function on that queue).
    /// </summary>
    public static IServiceCollection AddWorkflowStep<TStep>(this IServiceCollection services, string name)
        where TStep : class, IWorkflowStep
    {
        services.AddSingleton(new WorkflowStepRegistration(name, typeof(TStep)));
        services.TryAddSingleton<TStep>();
        return services;
    }

    private static void AddActionStep<TStep>(this IServiceCollection services, string name, IConfiguration configuration)
        where TStep : ActionStep
    {
        services.AddWorkflowStep<TStep>(name);
        services.AddOptions<ActionEndpointOptions>(name).Bind(configuration.GetSection($"{ActionEndpointOptions.Section}:{name}"));
    }

    /// <summary>The Simple AI API client: base URL and key from <c>SimpleAi</c>, timeouts and retries that honour Retry-After.</summary>
    private static void AddSimpleAiApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SimpleAiApiOptions>()
            .Bind(configuration.GetSection(SimpleAiApiOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHttpClient<SimpleAiClient>((provider, http) =>
            {
                var api = provider.GetRequiredService<IOptions<SimpleAiApiOptions>>().Value;
                var baseUrl = api.BaseUrl.ToString();
                http.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
                http.DefaultRequestHeaders.TryAddWithoutValidation(
                    "Authorization", string.IsNullOrWhiteSpace(api.AuthScheme) ? api.ApiKey : $"{api.AuthScheme.Trim()} {api.ApiKey}");
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddResilienceHandler("simple-ai", (pipeline, context) =>
            {
                var api = context.ServiceProvider.GetRequiredService<IOptions<SimpleAiApiOptions>>().Value;
                var perTry = TimeSpan.FromSeconds(api.TimeoutSeconds);
                pipeline.AddTimeout(perTry * (api.MaxRetries + 1) + TimeSpan.FromSeconds(30));
                if (api.MaxRetries > 0)
                {
                    // Transient errors, 408, 429 and 5xx only; Retry-After is honoured.
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = api.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromMilliseconds(500),
                        ShouldRetryAfterHeader = true,
                    });
                }

                pipeline.AddTimeout(perTry);
            });
    }
}
