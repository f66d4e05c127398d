using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SimpleAi.Webhooks.Calls;

public static class CallsServiceCollectionExtensions
{
    /// <summary>The call records: a started call is recorded as in progress and, when <c>CallStarted</c> says so, forwarded.</summary>
    public static IServiceCollection AddCallStarted(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CallStartedOptions>().Bind(configuration.GetSection(CallStartedOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CallStartedOptions>, CallStartedOptionsValidator>();
        services.TryAddSingleton<CallRecords>();
        return services;
    }
}
