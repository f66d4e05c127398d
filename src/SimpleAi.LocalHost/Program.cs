using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Console;
using SimpleAi.Functions;
using SimpleAi.LocalHost;
using SimpleAi.Webhooks.Hosting;

// The app without Core Tools: local.settings.json (or the sample) and the environment, workflow.json, every queue and
// timer function under the WebJobs listeners, the HTTP functions on http://localhost:7071, logs on the console.
// A start refused for its configuration prints one "Configuration error" list (no stack trace) and exits 78.
var startUp = new StartupGuard(Console.Error);
return await startUp.RunAsync(async () =>
{
    var settingsFile = LocalSettings.Find(Directory.GetCurrentDirectory()) ?? LocalSettings.Find(AppContext.BaseDirectory);
    // workflow.json and its transforms from src/SimpleAi.Functions/, the files a person edits: no build needed after an edit.
    var workflowDirectory = LocalSettings.FindWorkflowDirectory(Directory.GetCurrentDirectory())
        ?? LocalSettings.FindWorkflowDirectory(AppContext.BaseDirectory)
        ?? AppContext.BaseDirectory;
    using var loggers = LoggerFactory.Create(Logging);
    var logger = loggers.CreateLogger("SimpleAi.LocalHost");
    logger.LogInformation("Settings: {File} and the environment", settingsFile is null ? "none found (the environment only)" : ConfigurationErrors.DisplayPath(settingsFile));
    var workflowFile = Path.Combine(workflowDirectory, FunctionsAppServiceCollectionExtensions.WorkflowFile);
    logger.LogInformation("Workflow: {File}{Absent} (transforms are read relative to it)",
        ConfigurationErrors.DisplayPath(workflowFile), File.Exists(workflowFile) ? string.Empty : ", absent: each call is fetched and the run stops there");

    IConfiguration configuration = new ConfigurationBuilder()
        .AddInMemoryCollection(settingsFile is null ? [] : LocalSettings.Read(settingsFile))
        .AddEnvironmentVariables()
        .SetBasePath(workflowDirectory)
        .AddSimpleAiWorkflowFile()
        .Build();

    // No Simple AI API key: an offline demo, with a local Simple AI and a local receiver, instead of a fetch-call that fails.
    await using var demo = OfflineDemo.IsWanted(configuration) ? await OfflineDemo.StartAsync(configuration, loggers.CreateLogger("SimpleAi.LocalHost.OfflineDemo")) : null;
    if (demo is not null)
    {
        configuration = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(demo.Settings).Build();
        logger.LogInformation(
            "Offline demo: SimpleAi__ApiKey is not set, so a local Simple AI API answers on {Api} (the sample call for any call id) "
            + "and a local receiver on {Receiver} verifies what {Steps} post; the sample's pre-call sources answer on {Sources}. "
            + "Send a call with `npm run call`. Set SimpleAi__ApiKey (and SimpleAi__BaseUrl) to use Simple AI instead.",
            demo.ApiBaseUrl, demo.ReceiverUrl, string.Join(" and ", OfflineDemo.Steps), demo.SourcesUrl);
    }

    startUp.Configuration = configuration;
    var url = Environment.GetEnvironmentVariable("SIMPLEAI_LOCAL_URL") ?? "http://localhost:7071";

    await using var host = await LocalFunctionsHost.StartAsync(new LocalHostOptions
    {
        Configuration = configuration,
        ConfigureLogging = Logging,
        HttpUrl = url,
    });

    var functions = string.Join(Environment.NewLine, host.Functions.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => f.Trigger switch
    {
        HttpTriggerBinding http => $"    {f.Name}: [{(http.Methods.Count == 0 ? "ANY" : string.Join(",", http.Methods).ToUpperInvariant())}] {url}/api/{http.Route}",
        QueueTriggerBinding queue => $"    {f.Name}: queueTrigger {queue.QueueName}",
        TimerTriggerBinding timer => $"    {f.Name}: timerTrigger {timer.Schedule}",
        _ => $"    {f.Name}",
    }));
    logger.LogInformation("Functions:{NewLine}{Functions}", Environment.NewLine, functions);
    logger.LogInformation("Listening on {Url}; queues polled as host.json says (maxPollingInterval {Polling}). Ctrl+C stops.", url, host.QueuesOptions.MaxPollingInterval);

    var stop = new TaskCompletionSource();
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    await stop.Task;
    logger.LogInformation("Stopping: waiting for the running invocations");

    void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        stop.TrySetResult();
    }
});

// One line per record and per failed try, no stack traces (PersonConsoleFormatter). Host.Results is the Functions
// host's record of each invocation for Application Insights' requests: on a console it repeats the function's own
// Executed line, so it stays out of the console (host.json keeps it for Azure).
static void Logging(ILoggingBuilder logging) => logging
    .AddConsole(console => console.FormatterName = PersonConsoleFormatter.FormatterName)
    .AddConsoleFormatter<PersonConsoleFormatter, ConsoleFormatterOptions>()
    .AddFilter<ConsoleLoggerProvider>("Host.Results", LogLevel.None)
    .SetMinimumLevel(LogLevel.Information)
    .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
    .AddFilter("System.Net.Http.HttpClient", LogLevel.Warning)
    .AddFilter("Azure.Core", LogLevel.Warning);
