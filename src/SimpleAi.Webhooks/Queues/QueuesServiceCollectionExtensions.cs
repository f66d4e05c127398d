using Microsoft.Extensions.Azure;
using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Webhooks.Queues;

public static class QueuesServiceCollectionExtensions
{
    /// <summary>The queue sender, failed-try handling and poison queue of <paramref name="transport"/>, on its client.</summary>
    public static IServiceCollection AddQueueTransport(this IServiceCollection services, IConfiguration configuration, QueueTransport transport)
    {
        if (transport == QueueTransport.ServiceBus)
        {
            services.TryAddSingleton(provider => AzureConnections.CreateServiceBusClient(
                configuration, provider.GetRequiredService<AzureComponentFactory>()));
            services.TryAddSingleton<IQueueSender, ServiceBusQueueSender>();
            services.TryAddSingleton<IFailedTryHandler, ServiceBusFailedTries>();
        }
        else
        {
            services.TryAddSingleton(provider => AzureConnections.CreateQueueServiceClient(
                configuration, provider.GetRequiredService<AzureComponentFactory>()));
            services.TryAddSingleton<IQueueSender, StorageQueueSender>();
            services.TryAddSingleton<IFailedTryHandler, StorageQueuesFailedTries>();
        }

        services.TryAddSingleton<PoisonQueue>();
        return services;
    }
}
