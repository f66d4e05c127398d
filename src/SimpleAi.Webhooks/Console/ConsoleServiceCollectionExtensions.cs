using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Operations;

namespace SimpleAi.Webhooks.Console;

public static class ConsoleServiceCollectionExtensions
{
    /// <summary>The console's views and changes, and who may use them (<see cref="ConsoleAccess"/>).</summary>
    public static IServiceCollection AddConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ConsoleOptions>(configuration, ConsoleOptions.Section);
        services.TryAddSingleton<ConsoleAccess>();
        services.TryAddSingleton<CallsView>();
        services.TryAddSingleton<CallDetailView>();
        services.TryAddSingleton<FailuresView>();
        services.TryAddSingleton<PoisonReplay>();
        services.TryAddSingleton<ConsoleReplay>();
        services.TryAddSingleton<ConsoleDestinations>();
        return services;
    }
}
