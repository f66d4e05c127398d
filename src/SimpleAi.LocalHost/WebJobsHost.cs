using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Azure.WebJobs.Host.Timers;
using SimpleAi.LocalHost.Invocation;
using SimpleAi.LocalHost.Queues;

namespace SimpleAi.LocalHost;

/// <summary>
/// The WebJobs SDK host the queue and timer functions run under (the engine inside the Functions host), configured
/// from host.json and the app's settings.
/// </summary>
internal static class WebJobsHost
{
    public static IHost Build(LocalHostOptions options, string hostJson, IReadOnlyList<FunctionInvoker> listened, InvocationLog log)
    {
        var jobs = new GeneratedJobs(JobTypeGenerator.Generate([.. listened.Select(i => i.Function)]), new JobInvoker(listened));
        return new HostBuilder()
            // Core Tools runs the host as Development (AZURE_FUNCTIONS_ENVIRONMENT).
            .UseEnvironment(Environments.Development)
            // As the Functions host: host.json first, the app settings (AzureFunctionsJobHost__… overrides among them) over it.
            .ConfigureAppConfiguration(configuration => configuration
                .AddInMemoryCollection(HostJson.WebJobsSettings(hostJson))
                .AddConfiguration(options.Configuration))
            .ConfigureLogging(Logging(options))
            // host.json's per-category levels, as the host applies them (an idle PoisonSweep logs nothing).
            .ConfigureLogging(logging =>
            {
                foreach (var (category, level) in HostJson.LogLevels(hostJson))
                {
                    logging.AddFilter(category, level);
                }
            })
            .ConfigureWebJobs(webJobs =>
            {
                webJobs.AddAzureStorageQueues(queues => options.ConfigureQueues?.Invoke(queues));
                if (listened.Any(i => i.Function.Trigger is TimerTriggerBinding))
                {
                    webJobs.AddTimers();
                    // The timers' schedule monitor (StorageScheduleMonitor) is built with the blob lock container that
                    // AddAzureStorageCoreServices would provide from AzureWebJobsStorage; an empty provider lets the host
                    // start. Timers with useMonitor false (tested) do not use it; with a monitor, past-due tracking is untested here.
                    webJobs.Services.AddSingleton(new DistributedLockManagerContainerProvider());
                }
            })
            .ConfigureServices(services =>
            {
                services.AddSingleton<ITypeLocator>(jobs);
                services.AddSingleton<IJobActivator>(jobs);
                services.AddSingleton(log);
                services.AddSingleton<ListenerExceptionHandler>();
                services.AddSingleton<IWebJobsExceptionHandlerFactory>(provider => provider.GetRequiredService<ListenerExceptionHandler>());
                if (options.QueueProcessorFactory is { } factory)
                {
                    services.AddSingleton(factory);
                }
            })
            .Build();
    }

    public static Action<ILoggingBuilder> Logging(LocalHostOptions options) => logging =>
    {
        logging.ClearProviders();
        options.ConfigureLogging?.Invoke(logging);
        logging.SetMinimumLevel(options.HostLogLevel);
    };
}
