using Microsoft.Extensions.Azure;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Webhooks.Queues;

public static class QueuesServiceCollectionExtensions
{
    /// <summary>The queue sender and poison queue of <paramref name="transport"/>, on its client.</summary>
    public static IServiceCollection AddQueueTransport(this IServiceCollection services, IConfiguration configuration, QueueTransport transport)
    {
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

        services.TryAddSingleton<PoisonQueue>();
        services.AddSingleton<IValidateOptions<QueueTransportOptions>>(new QueueTransportOptionsValidator(transport));
        services.AddValidatedOptions<QueueTransportOptions>(configuration, QueueTransportOptions.Section);
        return services.AddHostRetries(configuration, HostJsonConfiguration.DefaultPath);
    }

    /// <summary>
    /// The host's retry of a failed queue message (<see cref="HostRetryOptions"/>): host.json at <paramref name="hostJson"/>
    /// with its <c>AzureFunctionsJobHost__…</c> overrides from <paramref name="configuration"/>, checked at start-up. Called
    /// again with another file (the local host's), that file's values win.
    /// </summary>
    public static IServiceCollection AddHostRetries(this IServiceCollection services, IConfiguration configuration, string hostJson)
    {
        services.AddOptions<HostRetryOptions>()
            .Configure(options => HostJsonConfiguration.Effective(hostJson, configuration).GetSection(HostRetryOptions.HostSection).Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HostRetryOptions>>(new HostRetryOptionsValidator(configuration)));
        return services;
    }
}
