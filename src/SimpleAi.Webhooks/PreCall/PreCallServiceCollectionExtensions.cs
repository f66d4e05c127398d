using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Webhooks.PreCall;

public static class PreCallServiceCollectionExtensions
{
    /// <summary>The pre-call lookup: the bearer-checked request, the contacts table and the HTTP sources at once, the computed parameters' rules, the optional transformation, and the record of each answer (<c>PreCall</c>).</summary>
    public static IServiceCollection AddPreCall(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PreCallOptions, PreCallOptionsValidator>(configuration, PreCallOptions.Section);
        services.AddSingleton<IPostConfigureOptions<PreCallOptions>, PreCallSecrets>();
        services.TryAddSingleton<ContactStore>();
        services.TryAddSingleton<PreCallRecordStore>();
        services.TryAddSingleton<PreCallSourceClient>();
        services.TryAddSingleton<PreCallJourney>();
        services.TryAddSingleton<PreCallService>();
        services.AddHttpClient(PreCallJourney.EnrichmentClient);
        services.AddHttpClient(PreCallSourceClient.HttpClientName);
        return services;
    }
}
