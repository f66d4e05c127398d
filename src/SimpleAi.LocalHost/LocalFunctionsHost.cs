using Microsoft.Azure.WebJobs.Host;
using Microsoft.Azure.WebJobs.Host.Queues;
using Microsoft.Extensions.Options;
using SimpleAi.Functions;
using SimpleAi.Webhooks.Queues;
using SimpleAi.LocalHost.Http;
using SimpleAi.LocalHost.Invocation;
using SimpleAi.LocalHost.Queues;

namespace SimpleAi.LocalHost;

// CONTRACT: what this host does as the Functions host and the isolated worker would, and what it does not.
// Sources: W = Azure/azure-functions-dotnet-worker at tag 2.52.0 (this app's worker version), H = Azure/azure-functions-host
// (main), Q = Azure/azure-sdk-for-net sdk/storage/Microsoft.Azure.WebJobs.Extensions.Storage.Queues/src.
// Invocation/LocalHostSupport.cs holds the supported set in code; LocalHostContractTests hold the app to it.
//
// Emulated
// - Function index: functions.metadata, as written by the worker SDK at build and read by the host (extra test-only classes
//   from their attributes, as the SDK derives that file). Triggers: queueTrigger, httpTrigger, timerTrigger.
// - Queue and timer triggers: the WebJobs SDK's real listeners (Microsoft.Azure.WebJobs + the Storage Queues extension),
//   driven by a job type generated per host the way H src/WebJobs.Script/Description/FunctionGenerator.cs and
//   Workers/WorkerFunctionDescriptorProvider.cs build it (Queues/JobTypeGenerator.cs). So polling, batches, visibility,
//   retries by dequeue count and the poison queue (maxDequeueCount, `<queue>-poison`) are the extension's own.
// - host.json: under AzureFunctionsJobHost with AzureFunctionsJobHost__* app settings over it (HostJson.cs):
//   extensions.queues (bound by the extension), logging.logLevel per category, extensions.http.routePrefix.
// - Parameters (Invocation/LocalHostSupport.cs): the trigger (queue: string, BinaryData, byte[], QueueMessage; HTTP: HttpRequest;
//   timer: the worker's TimerInfo), FunctionContext, CancellationToken, and for HTTP string parameters named after route
//   values, bound from the binding data as W src/DotNetWorker.Core/Context/Features/DefaultFunctionInputBindingFeature.cs
//   binds them. A function with anything else is refused at start, naming it.
// - FunctionContext (Invocation/LocalFunctionContext.cs): invocation id, function name/entry point and its trigger as the
//   one input binding, trace context from the caller (traceparent/tracestate), a DI scope per invocation
//   (W src/DotNetWorker.Core/Context/DefaultFunctionContext.cs), the cancellation token. Binding data of queue and timer
//   triggers: what the WebJobs trigger bound (for a queue, Q Triggers/QueueTriggerBinding.cs CreateBindingData: QueueTrigger,
//   DequeueCount, ExpirationTime, Id, InsertionTime, NextVisibleTime, PopReceipt), read from the binder as
//   H src/WebJobs.Script/Description/Workers/WorkerFunctionInvoker.cs reads it, converted as the host sends it over gRPC
//   and the worker reads it back (Invocation/WorkerBindingData.cs: strings, and JSON text such as DequeueCount "1").
//   RetryContext is null, as in the worker when the host sends none
//   (W src/DotNetWorker.Grpc/GrpcFunctionInvocation.cs; H src/WebJobs.Script.Grpc/Extensions/ScriptInvocationContextExtensions.cs
//   SetRetryContext: only under a retry policy, which this host refuses).
// - Services, options and worker middleware: SimpleAi.Functions FunctionsApp.Configure, the method Program.cs calls on the
//   worker's FunctionsApplicationBuilder (W src/DotNetWorker/Builder/FunctionsApplicationBuilder.cs, an
//   IFunctionsWorkerApplicationBuilder), called here on Invocation/LocalWorkerBuilder.cs. Its middleware runs around each
//   invocation, composed as W src/DotNetWorker.Core/Pipeline/DefaultInvocationPipelineBuilder.cs composes it, UseMiddleware
//   and UseWhen being the worker's own (W src/DotNetWorker.Core/Hosting/WorkerMiddlewareWorkerApplicationBuilderExtensions.cs).
//   Options validated at start (ValidateOnStart), hosted services started and stopped.
// - HTTP (Http/HttpFunctionServer.cs): the ASP.NET Core integration's routes, `{routePrefix}/{route ?? function name}` with
//   the trigger's methods (W extensions/Worker.Extensions.Http.AspNetCore/src/AspNetMiddleware/FunctionsEndpointDataSource.cs), the real
//   HttpRequest, its HttpContext in FunctionContext.Items (GetHttpContext()), the returned IActionResult or IResult executed
//   on the response (…/FunctionsMiddleware/FunctionsHttpProxyingMiddleware.cs); a function that throws answers 500.
//
// Not emulated
// - Other triggers and any input or output binding (blob, table, Service Bus, [QueueOutput], multi-output return types),
//   POCO (JSON) trigger parameters, HttpRequestData/HttpResponseData, ILogger parameters: refused at start.
// - Retry policies ([FixedDelayRetry], [ExponentialBackoffRetry]): refused at start; host.json `retry`, functionTimeout.
// - Worker features the gRPC layer supplies (W src/DotNetWorker.Grpc/Handlers/InvocationHandler.cs: IFunctionBindingsFeature):
//   middleware calling GetInvocationResult, GetOutputBindings, BindInputAsync or GetHttpRequestDataAsync throws here.
// - Configuration: local.settings.json Values, the environment and src/SimpleAi.Functions/workflow.json (Program.cs here),
//   not the worker's defaults; function keys (Core Tools does not check them locally either); forwarded headers.
// - HTTP binding data beyond the route values and Query (the raw query string here): the host's HTTP extension also binds
//   each query parameter by name, the headers and a JSON body's properties (Azure/azure-webjobs-sdk-extensions
//   src/WebJobs.Extensions.Http/HttpTriggerAttributeBindingProvider.cs GetRequestBindingDataAsync).
//
/// <summary>
/// The app running as the Functions host would run it, without Core Tools: its functions read from functions.metadata
/// (and extra classes), its container built by the app's own registration, queue and timer functions under the WebJobs
/// SDK's real listeners (the engine inside the Functions host: <c>Microsoft.Azure.WebJobs</c> with the Storage Queues
/// extension, configured from host.json), HTTP functions on Kestrel. For the tests and for <c>npm start</c>.
/// </summary>
public sealed class LocalFunctionsHost : IAsyncDisposable
{
    private const int QuietChecks = 3;

    private readonly ServiceProvider _app;
    private readonly List<IHostedService> _appServices;
    private readonly InvocationLog _log;
    private readonly IHost? _webJobs;
    private readonly HttpFunctionServer? _http;
    private readonly TriggerQueues _queues;

    private LocalFunctionsHost(
        ServiceProvider app, List<IHostedService> appServices, InvocationLog log, IReadOnlyList<LocalFunction> functions,
        TriggerQueues queues, IHost? webJobs, HttpFunctionServer? http)
    {
        _app = app;
        _appServices = appServices;
        _log = log;
        Functions = functions;
        _queues = queues;
        _webJobs = webJobs;
        _http = http;
    }

    /// <summary>The app's container.</summary>
    public IServiceProvider Services => _app;

    /// <summary>Every function the host runs.</summary>
    public IReadOnlyList<LocalFunction> Functions { get; }

    /// <summary>The queues that queue-triggered functions listen on.</summary>
    public IReadOnlyCollection<string> TriggerQueues => _queues.Names;

    /// <summary>Where the HTTP functions are served (<c>http://host:port/</c>), or null.</summary>
    public Uri? BaseAddress => _http?.Address;

    /// <summary>The queue options the listeners run with (host.json, then <see cref="LocalHostOptions.ConfigureQueues"/>).</summary>
    public QueuesOptions QueuesOptions => _webJobs?.Services.GetRequiredService<IOptions<QueuesOptions>>().Value ?? new QueuesOptions();

    /// <summary>Function invocations that threw, oldest first.</summary>
    public IReadOnlyList<InvocationFailure> Failures => _log.Failures;

    /// <summary>How many invocations are running now.</summary>
    public int InFlight => _log.InFlight;

    public static async Task<LocalFunctionsHost> StartAsync(LocalHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var appAssembly = typeof(HttpFunctions).Assembly;
        var appDirectory = Path.GetDirectoryName(appAssembly.Location)!;
        var functions = FunctionMetadataReader.Read(options.MetadataPath ?? Path.Combine(appDirectory, FunctionMetadataReader.FileName), appAssembly)
            .Concat(options.ExtraFunctionTypes.SelectMany(FunctionMetadataReader.FromAttributes))
            .ToList();
        if (functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"Two functions are named '{twice.Key}': {string.Join(", ", twice)}.");
        }

        var hostJson = options.HostJsonPath ?? Path.Combine(appDirectory, HostJson.FileName);
        var (app, worker) = BuildApp(options, hostJson);
        var started = new List<IHostedService>();
        IHost? webJobs = null;
        HttpFunctionServer? http = null;
        try
        {
            // What the worker's host does at start: options validated (ValidateOnStart), hosted services started.
            app.GetService<IStartupValidator>()?.Validate();
            StepFunctionCheck.Require(app, functions);
            var log = new InvocationLog();
            var invokers = functions.Select(f => FunctionInvoker.Create(f, app, log, worker)).ToList();
            foreach (var service in app.GetServices<IHostedService>())
            {
                await service.StartAsync(cancellationToken);
                started.Add(service);
            }

            var queues = new TriggerQueues(await LocalStorage.ProvisionQueuesAsync(options, functions, cancellationToken));
            await LocalStorage.ProvisionAppStorageAsync(options, cancellationToken);
            var listened = invokers.Where(i => i.Function.Trigger is QueueTriggerBinding or TimerTriggerBinding).ToList();
            if (listened.Count > 0)
            {
                webJobs = WebJobsHost.Build(options, hostJson, listened, log);
                await webJobs.StartAsync(cancellationToken);
            }

            var served = invokers.Where(i => i.Function.Trigger is HttpTriggerBinding).ToList();
            if (options.HttpUrl is { } url && served.Count > 0)
            {
                http = await HttpFunctionServer.StartAsync(served, HostJson.RoutePrefix(hostJson), url, WebJobsHost.Logging(options), cancellationToken);
            }

            return new LocalFunctionsHost(app, started, log, functions, queues, webJobs, http);
        }
        catch
        {
            try
            {
                await StopAsync(http, webJobs, started, app);
            }
            catch (InvalidOperationException)
            {
                // A WebJobs host that failed to start refuses to stop: the start's error is the one to see.
            }

            throw;
        }
    }

    /// <summary>
    /// Waits until every trigger queue is empty (approximate count: invisible messages count too, so a message being
    /// handled or waiting for a retry keeps it non-empty) and no invocation is running, seen that way several times in
    /// a row. Throws at the deadline naming what is left in each queue and the last failures.
    /// </summary>
    public async Task WaitUntilIdleAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            for (var quiet = 0; quiet < QuietChecks;)
            {
                quiet = _log.InFlight == 0 && await _queues.AllEmptyAsync(deadline.Token) && _log.InFlight == 0 ? quiet + 1 : 0;
                await Task.Delay(TimeSpan.FromMilliseconds(quiet == 0 ? 50 : 20), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The functions were not idle after {timeout.TotalSeconds:F0} s: {await DescribeAsync()}");
        }
    }

    /// <summary>What is left in each trigger queue, the invocations running and the last failures.</summary>
    public async Task<string> DescribeAsync()
    {
        var failures = _log.Failures.TakeLast(5).Select(f => f.ToString());
        return $"left [{string.Join(", ", await _queues.LeftAsync())}]; in flight {_log.InFlight}; last failures [{string.Join(" | ", failures)}]";
    }

    public ValueTask DisposeAsync() => new(StopAsync(_http, _webJobs, _appServices, _app));

    /// <summary>The app's container and worker middleware, from the one method Program.cs calls too (<see cref="FunctionsApp.Configure"/>).</summary>
    private static (ServiceProvider App, LocalWorkerBuilder Worker) BuildApp(LocalHostOptions options, string hostJson)
    {
        var services = new ServiceCollection();
        services.AddSingleton(options.Configuration);
        services.AddLogging(logging => options.ConfigureLogging?.Invoke(logging));
        var worker = new LocalWorkerBuilder(services);
        FunctionsApp.Configure(worker, options.Configuration);
        options.ConfigureWorker?.Invoke(worker);
        // The app counts tries as the listeners below do: the same host.json (a test's own, when it gives one).
        services.AddHostRetries(options.Configuration, hostJson);
        options.ConfigureServices?.Invoke(services);
        return (services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), worker);
    }

    private static async Task StopAsync(HttpFunctionServer? http, IHost? webJobs, List<IHostedService> appServices, ServiceProvider app)
    {
        if (http is not null)
        {
            await http.DisposeAsync();
        }

        if (webJobs is not null)
        {
            // Stops polling and waits for the invocations running to finish and settle their messages.
            await webJobs.StopAsync();
            webJobs.Dispose();
        }

        for (var i = appServices.Count - 1; i >= 0; i--)
        {
            await appServices[i].StopAsync(CancellationToken.None);
        }

        await app.DisposeAsync();
    }
}
