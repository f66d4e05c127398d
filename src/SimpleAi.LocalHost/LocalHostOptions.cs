using Microsoft.Azure.WebJobs.Host;
using Microsoft.Azure.WebJobs.Host.Queues;

namespace SimpleAi.LocalHost;

/// <summary>How to run the app in a <see cref="LocalFunctionsHost"/>.</summary>
public sealed class LocalHostOptions
{
    /// <summary>The app's configuration (what the worker reads from app settings), also where connection names resolve.</summary>
    public required IConfiguration Configuration { get; init; }

    /// <summary>Changes to the app's services after the app registered its own (tests: fakes, fault injection, extra steps).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>More worker middleware after the app's own (tests: <c>UseMiddleware&lt;T&gt;()</c> on the builder the app configured).</summary>
    public Action<Microsoft.Azure.Functions.Worker.IFunctionsWorkerApplicationBuilder>? ConfigureWorker { get; init; }

    /// <summary>Log providers, given to the app, the WebJobs host and the HTTP server alike.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>The least level the WebJobs host and the HTTP server log at (the app logs as it configures).</summary>
    public LogLevel HostLogLevel { get; init; } = LogLevel.Information;

    /// <summary>Classes with more <c>[Function]</c> methods than functions.metadata lists (tests: test-only step functions).</summary>
    public IReadOnlyList<Type> ExtraFunctionTypes { get; init; } = [];

    /// <summary>The app's functions.metadata; by default the one next to SimpleAi.Functions.dll.</summary>
    public string? MetadataPath { get; init; }

    /// <summary>The app's host.json; by default the one next to SimpleAi.Functions.dll.</summary>
    public string? HostJsonPath { get; init; }

    /// <summary>Runs after host.json's <c>extensions.queues</c> were applied (tests: a shorter visibilityTimeout and maxPollingInterval).</summary>
    public Action<QueuesOptions>? ConfigureQueues { get; init; }

    /// <summary>Replaces the extension's queue processor factory (tests: a processor that loses the delete after a success).</summary>
    public IQueueProcessorFactory? QueueProcessorFactory { get; init; }

    /// <summary>Where HTTP functions are served (<c>http://127.0.0.1:0</c>: a free port); null serves none.</summary>
    public string? HttpUrl { get; init; } = "http://127.0.0.1:0";

    /// <summary>Empties every trigger queue and its poison queue before listening (tests that share one emulator).</summary>
    public bool ClearQueues { get; init; }
}
