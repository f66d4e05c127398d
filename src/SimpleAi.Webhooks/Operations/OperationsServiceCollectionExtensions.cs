using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Webhooks.Operations;

public static class OperationsServiceCollectionExtensions
{
    /// <summary>What happens to messages given up: the run is failed, and the sweeper of <paramref name="transport"/> finds the host's own give-ups.</summary>
    public static IServiceCollection AddPoisonHandling(this IServiceCollection services, QueueTransport transport)
    {
        services.TryAddSingleton<PoisonBookkeeping>();
        services.TryAddSingleton<PoisonIntake>();
        if (transport == QueueTransport.ServiceBus)
        {
            services.TryAddSingleton<IPoisonSweeper, ServiceBusDeadLetterSweeper>();
        }
        else
        {
            services.TryAddSingleton<PoisonSweeper>();
            services.TryAddSingleton<IPoisonSweeper>(provider => provider.GetRequiredService<PoisonSweeper>());
        }

        return services;
    }
}
