using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SimpleAi.Functions;
using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Testing;

/// <summary>
/// The app's container as Program.cs wires it (the same <c>AddSimpleAiWebhooks</c> call and build flavour), with
/// the function classes registered the way the worker resolves them. The Functions host itself cannot run here.
/// </summary>
public static class TestApp
{
    public static Dictionary<string, string?> Settings(string storageConnection) => new()
    {
        ["SimpleAiStorage"] = storageConnection,
        ["Webhook:SigningSecrets"] = TestSigning.Secret,
        ["SimpleAi:ApiKey"] = TestApiKey,
        ["PreCall:BearerToken"] = PreCallToken,
    };

    public const string PreCallToken = "pre-call-token-DO_NOT_LOG_77";

    /// <summary>A recognisable fake API key, so tests can check it never reaches a log line or a record.</summary>
    public const string TestApiKey = "sk_test_DO_NOT_LOG_4f1c";

    public static ServiceProvider Build(
        Dictionary<string, string?> settings,
        RecordingLoggerProvider? logs = null,
        Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddProvider(logs ?? new RecordingLoggerProvider()));
        services.AddSimpleAiWebhooks(configuration, FunctionsBuild.QueueTransport);
        configure?.Invoke(services);
        services.AddTransient<WebhookIngest>();
        services.AddTransient<RouteEvent>();
        services.AddTransient<PreCallLookup>();
        services.AddTransient<TranscriptFetch>();
        services.AddTransient<TranscriptRead>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
