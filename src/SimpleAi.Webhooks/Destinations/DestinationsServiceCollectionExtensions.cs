using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Webhooks.Destinations;

public static class DestinationsServiceCollectionExtensions
{
    /// <summary>The gate action steps ask before each delivery (one per app instance), with its validated settings.</summary>
    public static IServiceCollection AddDestinationGate(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DestinationOptions>(configuration, DestinationOptions.Section);
        services.TryAddSingleton<DestinationGate>();
        return services;
    }
}
