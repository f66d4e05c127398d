using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SimpleAi.Webhooks.Telemetry;

namespace SimpleAi.Functions;

public static class TelemetryServiceCollectionExtensions
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public const string ClientIdSetting = "AZURE_CLIENT_ID";

    /// <summary>
    /// OpenTelemetry for the worker: the Functions invocation spans, the app's spans and metrics
    /// (<see cref="WebhookTelemetry"/>), exported to Application Insights when
    /// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, authenticating with the app's managed identity
    /// (<c>AZURE_CLIENT_ID</c>) because the resource has local authentication disabled. Where the telemetry lands
    /// (which tables, names and dimensions the alerts and the workbook query) is held by TelemetryCaptureTests.
    /// </summary>
    public static IServiceCollection AddSimpleAiTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing.AddSource(WebhookTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(WebhookTelemetry.Name));
        if (!string.IsNullOrWhiteSpace(configuration[ConnectionStringSetting]))
        {
            telemetry.UseAzureMonitorExporter(exporter => exporter.Credential = Credential(configuration[ClientIdSetting]));
        }

        return services;
    }

    /// <summary>
    /// The app's managed identity where it has one (Azure sets <c>AZURE_CLIENT_ID</c>); without it (a local run against
    /// a connection string) the exporter sends with the instrumentation key alone, as the connection string says.
    /// </summary>
    private static DefaultAzureCredential? Credential(string? clientId) => string.IsNullOrWhiteSpace(clientId)
        ? null
        : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
}
