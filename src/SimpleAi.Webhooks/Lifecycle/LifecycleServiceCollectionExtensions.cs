using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Lifecycle;

public static class LifecycleServiceCollectionExtensions
{
    /// <summary>Call data lifecycle: the retention sweep (<c>Retention__Days</c>), erasure, and the records both leave.</summary>
    public static IServiceCollection AddCallDataLifecycle(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RetentionOptions>(configuration, RetentionOptions.Section);
        services.TryAddSingleton<LifecycleRecords>();
        services.TryAddSingleton<CallPurger>();
        services.TryAddSingleton<PoisonScrubber>();
        services.TryAddSingleton<RetentionSweeper>();
        services.TryAddSingleton<CallErasure>();
        // A step message whose run was purged or erased drops itself instead of poisoning the call's data.
        services.Replace(ServiceDescriptor.Singleton<IGoneRuns, LifecycleGoneRuns>());
        return services;
    }
}
