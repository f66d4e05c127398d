using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Webhooks.Ingest;

public static class IngestServiceCollectionExtensions
{
    /// <summary>
    /// The webhook endpoint's service: the signature verifier with its validated secrets (<c>Webhook</c>; the app
    /// refuses to start with a missing or malformed one), the body limits (<c>Ingest</c>), and the event body store.
    /// </summary>
    public static IServiceCollection AddIngest(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<WebhookSigningOptions, WebhookSigningOptionsValidator>(configuration, WebhookSigningOptions.Section);
        services.AddValidatedOptions<IngestOptions>(configuration, IngestOptions.Section);
        services.TryAddSingleton<IWebhookVerifier>(provider =>
        {
            var signing = provider.GetRequiredService<IOptions<WebhookSigningOptions>>().Value;
            return new StandardWebhookVerifier(
                WebhookSecret.ParseList(signing.SigningSecrets),
                TimeSpan.FromSeconds(signing.TimestampToleranceSeconds),
                provider.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton<EventBodyStore>();
        services.TryAddSingleton<WebhookIngestService>();
        return services;
    }
}
