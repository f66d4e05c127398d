using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SimpleAi.Functions;

namespace SimpleAi.Testing;

/// <summary>
/// The app's container as Program.cs wires it (the same <c>AddSimpleAiFunctionsApp</c> call), with the function classes
/// registered so tests can call one directly. Tests that need the host use <see cref="WorkflowHarness"/>.
/// </summary>
public static class TestApp
{
    public static Dictionary<string, string?> Settings(string storageConnection) => new()
    {
        ["SimpleAiStorage"] = storageConnection,
        ["Webhook:SigningSecrets"] = TestSigning.Secret,
        ["SimpleAi:ApiKey"] = TestApiKey,
        ["PreCall:BearerToken"] = PreCallToken,
        // The PoisonSweep timer, out of the way of tests that look at poison queues; the tests of the sweep set it.
        [SimpleAi.Webhooks.Workflow.WorkflowOptions.PoisonSweepScheduleSetting] = NeverDuringATest,
        // The RetentionSweep timer, likewise: the retention tests run the sweep themselves.
        [SimpleAi.Webhooks.Lifecycle.RetentionOptions.SweepScheduleSetting] = NeverDuringATest,
    };

    /// <summary>An NCRONTAB schedule that does not fire while a test runs: once a year.</summary>
    public const string NeverDuringATest = "0 0 0 1 1 *";

    public const string PreCallToken = "pre-call-token-DO_NOT_LOG_77";

    /// <summary>A recognisable fake API key, so tests can check it never reaches a log line or a record.</summary>
    public const string TestApiKey = "sk_test_DO_NOT_LOG_4f1c";

    /// <summary>
    /// The app's function classes, so a test can resolve one and call it directly (the worker does not register them:
    /// it creates them with ActivatorUtilities, as the local host does).
    /// </summary>
    public static IServiceCollection AddFunctionClasses(IServiceCollection services) => services
        .AddTransient<HttpFunctions>()
        .AddTransient<QueueFunctions>();

    public static ServiceProvider Build(
        Dictionary<string, string?> settings,
        RecordingLoggerProvider? logs = null,
        Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddProvider(logs ?? new RecordingLoggerProvider()));
        services.AddSimpleAiFunctionsApp(configuration);
        configure?.Invoke(services);
        AddFunctionClasses(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
