using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SimpleAi.Webhooks.PreCall;

public static class PreCallServiceCollectionExtensions
{
    /// <summary>The pre-call lookup: the bearer-checked request, the contacts table, and the optional enrichment call (<c>PreCall</c>).</summary>
    public static IServiceCollection AddPreCall(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PreCallOptions>().Bind(configuration.GetSection(PreCallOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<PreCallOptions>, PreCallSecrets>();
        services.TryAddSingleton<ContactStore>();
        services.TryAddSingleton<PreCallService>();
        services.AddHttpClient(PreCallService.EnrichmentClient);
        return services;
    }
}
