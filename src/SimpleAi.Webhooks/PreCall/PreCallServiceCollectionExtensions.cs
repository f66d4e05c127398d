using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Webhooks.PreCall;

public static class PreCallServiceCollectionExtensions
{
    /// <summary>The pre-call lookup: the bearer-checked request, the contacts table, and the optional enrichment call (<c>PreCall</c>).</summary>
    public static IServiceCollection AddPreCall(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PreCallOptions>(configuration, PreCallOptions.Section);
        services.AddSingleton<IPostConfigureOptions<PreCallOptions>, PreCallSecrets>();
        services.TryAddSingleton<ContactStore>();
        services.TryAddSingleton<PreCallService>();
        services.AddHttpClient(PreCallService.EnrichmentClient);
        return services;
    }
}
