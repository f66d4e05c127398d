using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Telemetry;
using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Webhooks.SimpleAiApi;

public static class SimpleAiApiServiceCollectionExtensions
{
    /// <summary>The Simple AI API client: base URL and key from <c>SimpleAi</c>, timeouts and retries that honour Retry-After.</summary>
    public static IServiceCollection AddSimpleAiApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SimpleAiApiOptions>(configuration, SimpleAiApiOptions.Section);
        // Each try is already one line (EndpointOnlyHttpLogger: method, host, status, time); Polly's own events for a
        // retry would add two more, with the failure's stack trace, for what is an ordinary, handled outcome.
        services.Configure<TelemetryOptions>(telemetry => telemetry.SeverityProvider = QuietRetries);
        services.AddHttpClient<SimpleAiClient>((provider, http) =>
            {
                var api = provider.GetRequiredService<IOptions<SimpleAiApiOptions>>().Value;
                var baseUrl = api.BaseUrl.ToString();
                http.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
                http.DefaultRequestHeaders.TryAddWithoutValidation(
                    "Authorization", string.IsNullOrWhiteSpace(api.AuthScheme) ? api.ApiKey : $"{api.AuthScheme.Trim()} {api.ApiKey}");
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddResilienceHandler("simple-ai", (pipeline, context) =>
            {
                var api = context.ServiceProvider.GetRequiredService<IOptions<SimpleAiApiOptions>>().Value;
                var perTry = TimeSpan.FromSeconds(api.TimeoutSeconds);
                pipeline.AddTimeout(api.WholeRequestTimeout());
                if (api.MaxRetries > 0)
                {
                    // Transient errors, 408, 429 and 5xx only; Retry-After is honoured.
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = api.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromMilliseconds(500),
                        ShouldRetryAfterHeader = true,
                    });
                }

                pipeline.AddTimeout(perTry);
            });

        return services;
    }

    /// <summary>A retry and each try are not logged by Polly; every other event keeps its own severity.</summary>
    private static ResilienceEventSeverity QuietRetries(SeverityProviderArguments args) =>
        args.Event.EventName is "OnRetry" or "ExecutionAttempt" ? ResilienceEventSeverity.None : args.Event.Severity;
}
