using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Operations;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Webhooks.Console;

public static class ConsoleServiceCollectionExtensions
{
    /// <summary>
    /// The console's views and changes, and who may use them (<see cref="ConsoleAccess"/>). Replay and poison depths
    /// read Storage Queues: on <see cref="QueueTransport.ServiceBus"/> they are left out (the console says to use the CLI).
    /// </summary>
    public static IServiceCollection AddConsole(this IServiceCollection services, IConfiguration configuration, QueueTransport transport)
    {
        services.AddValidatedOptions<ConsoleOptions>(configuration, ConsoleOptions.Section);
        services.TryAddSingleton<ConsoleAccess>();
        services.TryAddSingleton<CallsView>();
        services.TryAddSingleton<CallDetailView>();
        services.TryAddSingleton<FailuresView>();
        if (transport == QueueTransport.StorageQueues)
        {
            services.TryAddSingleton<PoisonReplay>();
        }

        services.TryAddSingleton<ConsoleReplay>();
        services.TryAddSingleton<ConsoleDestinations>();
        return services;
    }
}
