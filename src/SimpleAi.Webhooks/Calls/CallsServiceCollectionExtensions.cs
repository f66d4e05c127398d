using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Webhooks.Calls;

public static class CallsServiceCollectionExtensions
{
    /// <summary>The call records: a started call is recorded as in progress and, when <c>CallStarted</c> says so, forwarded.</summary>
    public static IServiceCollection AddCallStarted(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<CallStartedOptions, CallStartedOptionsValidator>(configuration, CallStartedOptions.Section);
        services.TryAddSingleton<CallIndex>();
        services.TryAddSingleton<CallRecords>();
        return services;
    }
}
