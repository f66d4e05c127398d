using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SimpleAi.Webhooks.Telemetry;

namespace SimpleAi.Functions;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// OpenTelemetry for the worker: the Functions invocation spans, the app's spans and metrics
    /// (<see cref="WebhookTelemetry"/>), exported to Application Insights when
    /// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, authenticating with the app's managed identity
    /// (<c>AZURE_CLIENT_ID</c>) because the resource has local authentication disabled.
    /// </summary>
    public static IServiceCollection AddSimpleAiTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing.AddSource(WebhookTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(WebhookTelemetry.Name));
        if (!string.IsNullOrWhiteSpace(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            telemetry.UseAzureMonitorExporter(exporter => exporter.Credential = new DefaultAzureCredential(
                new DefaultAzureCredentialOptions { ManagedIdentityClientId = configuration["AZURE_CLIENT_ID"] }));
        }

        return services;
    }
}
