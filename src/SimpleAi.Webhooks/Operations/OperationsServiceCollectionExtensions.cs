using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Webhooks.Operations;

public static class OperationsServiceCollectionExtensions
{
    /// <summary>
    /// What happens to a failed try and to messages given up, on <paramref name="transport"/>: who retries the try
    /// (<see cref="IFailedTryHandler"/>), the run is failed, and the transport's sweeper finds the host's own give-ups.
    /// </summary>
    public static IServiceCollection AddPoisonHandling(this IServiceCollection services, QueueTransport transport)
    {
        services.TryAddSingleton<PoisonBookkeeping>();
        services.TryAddSingleton<PoisonIntake>();
        if (transport == QueueTransport.ServiceBus)
        {
            services.TryAddSingleton<IPoisonSweeper, ServiceBusDeadLetterSweeper>();
            services.TryAddSingleton<IFailedTryHandler, ServiceBusFailedTries>();
        }
        else
        {
            services.TryAddSingleton<PoisonSweeper>();
            services.TryAddSingleton<IPoisonSweeper>(provider => provider.GetRequiredService<PoisonSweeper>());
            services.TryAddSingleton<IFailedTryHandler, StorageQueuesFailedTries>();
        }

        return services;
    }
}
