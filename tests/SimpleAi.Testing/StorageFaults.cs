using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.WebJobs.Host.Executors;
using Microsoft.Azure.WebJobs.Host.Queues;
using Microsoft.Extensions.DependencyInjection;
using SimpleAi.LocalHost.Invocation;
using SimpleAi.LocalHost;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Testing;

/// <summary>Where a simulated crash stops the process: around a storage request made for a message, or before its delete.</summary>
public enum CrashMoment
{
    /// <summary>Just before the storage request numbered <see cref="CrashPoint.Operation"/>: it never happens.</summary>
    BeforeOperation,

    /// <summary>Just after the storage request numbered <see cref="CrashPoint.Operation"/> took effect.</summary>
    AfterOperation,

    /// <summary>After the function returned, before the host deleted the message.</summary>
    BeforeDelete,

    /// <summary>
    /// The storage request numbered <see cref="CrashPoint.Operation"/> took effect but its answer was lost (a timeout
    /// or a dropped connection), so the SDK sends it again: an insert then meets its own row (409), a conditional
    /// write its own new ETag (412), a send queues a second copy.
    /// </summary>
    AnswerLost,
}

/// <summary>The first handling of a message from <paramref name="Queue"/> dies at this point, once.</summary>
public sealed record CrashPoint(string Queue, CrashMoment Moment, int Operation = 0)
{
    public override string ToString() => Moment switch
    {
        CrashMoment.BeforeDelete => $"{Queue}: before delete",
        CrashMoment.BeforeOperation => $"{Queue}: before storage op {Operation}",
        CrashMoment.AnswerLost => $"{Queue}: answer to storage op {Operation} lost, retried by the SDK",
        _ => $"{Queue}: after storage op {Operation}",
    };
}

/// <summary>
/// The app's storage clients with faults injected into their real pipelines to Azurite: a crash at one
/// <see cref="CrashPoint"/> (a <see cref="SimulatedCrashException"/> that no code catches, thrown outside the
/// SDK's retries), a lost answer (inside the SDK's retries, after the request took effect), and outages (requests
/// failing as a refused connection does, inside the SDK's retries).
/// </summary>
public sealed class StorageFaults
{
    private int _fired;

    /// <summary>The crash to simulate, if any.</summary>
    public CrashPoint? Crash { get; init; }

    /// <summary>
    /// The crash happens on every handling that reaches its point (a try that always dies there), not only the first,
    /// until this is set back to false.
    /// </summary>
    public bool EveryTry { get; set; }

    /// <summary>
    /// True while storage is unreachable for code handling this message (null: an HTTP function); asked before each
    /// request, after it was counted.
    /// </summary>
    public Func<HandledMessage?, bool> Outage { get; set; } = _ => false;

    public bool CrashFired => Volatile.Read(ref _fired) == 1;

    /// <summary>Registers the app's table, queue and blob clients for <paramref name="connection"/> with these faults.</summary>
    public void Register(IServiceCollection services, string connection)
    {
        var crash = new CrashPolicy(this);
        var outage = new OutagePolicy(this);
        var tables = AzureConnections.TableOptions();
        var queues = AzureConnections.QueueOptions();
        var blobs = AzureConnections.BlobOptions();
        foreach (var options in new ClientOptions[] { tables, queues, blobs })
        {
            options.AddPolicy(crash, HttpPipelinePosition.PerCall);
            options.AddPolicy(outage, HttpPipelinePosition.PerRetry);
        }

        services.AddSingleton(new TableServiceClient(connection, tables));
        services.AddSingleton(new QueueServiceClient(connection, queues));
        services.AddSingleton(new BlobServiceClient(connection, blobs));
    }

    /// <summary>
    /// The host's queue processors with the <see cref="CrashMoment.BeforeDelete"/> crash: the WebJobs extension's own
    /// <see cref="QueueProcessor"/> (its public extension point, <see cref="IQueueProcessorFactory"/>), whose completion
    /// of the chosen message, after the function succeeded, releases it for the visibility timeout instead of deleting
    /// it, as a process that died before its delete leaves it: invisible until its lease runs out, then delivered again.
    /// </summary>
    public IQueueProcessorFactory QueueProcessors => new CrashingProcessorFactory(this);

    internal bool CrashesBeforeDeleteOf(string queue) =>
        Crash is { Moment: CrashMoment.BeforeDelete } point && point.Queue == queue && Fire();

    private const string OperationProperty = "SimpleAi.Testing.StorageOperation";

    private bool Fire() => Interlocked.Exchange(ref _fired, 1) == 0 || EveryTry;

    private bool CrashesAt(HandledMessage? handling, CrashMoment moment, int operation) =>
        handling is not null && Crash is { } point && point.Queue == handling.Queue && point.Moment == moment
        && point.Operation == operation && Fire();

    private sealed class CrashPolicy(StorageFaults faults) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The app's storage calls are asynchronous.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var handling = HandledMessage.Current;
            var operation = handling?.NextOperation() ?? 0;
            message.SetProperty(OperationProperty, operation);
            if (faults.CrashesAt(handling, CrashMoment.BeforeOperation, operation))
            {
                throw new SimulatedCrashException($"before {message.Request.Method} {message.Request.Uri.Path}");
            }

            await ProcessNextAsync(message, pipeline);
            if (faults.CrashesAt(handling, CrashMoment.AfterOperation, operation))
            {
                throw new SimulatedCrashException($"after {message.Request.Method} {message.Request.Uri.Path}");
            }
        }
    }

    private sealed class OutagePolicy(StorageFaults faults) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The app's storage calls are asynchronous.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var handling = HandledMessage.Current;
            if (faults.Outage(handling))
            {
                // What HttpClientTransport throws for a refused connection; the SDK retries it.
                throw new RequestFailedException(0, "simulated outage: Connection refused", new HttpRequestException("Connection refused"));
            }

            await ProcessNextAsync(message, pipeline);
            if (message.TryGetProperty(OperationProperty, out var operation) && operation is int number
                && faults.CrashesAt(handling, CrashMoment.AnswerLost, number))
            {
                // The request took effect; its answer never arrives. The SDK's retry policy sends it again.
                throw new IOException("simulated lost answer: Connection reset by peer");
            }
        }
    }
}

internal sealed class CrashingProcessorFactory(StorageFaults faults) : IQueueProcessorFactory
{
    public QueueProcessor Create(QueueProcessorOptions queueProcessorOptions) => new CrashingProcessor(faults, queueProcessorOptions);

    private sealed class CrashingProcessor : QueueProcessor
    {
        private readonly StorageFaults _faults;
        private readonly QueueProcessorOptions _options;

        public CrashingProcessor(StorageFaults faults, QueueProcessorOptions options)
            : base(options)
        {
            _faults = faults;
            _options = options;
        }

        protected override Task CompleteProcessingMessageAsync(QueueMessage message, FunctionResult result, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(result);
            return result.Succeeded && _faults.CrashesBeforeDeleteOf(_options.Queue.Name)
                ? ReleaseMessageAsync(message, result, _options.Options.VisibilityTimeout, cancellationToken)
                : base.CompleteProcessingMessageAsync(message, result, cancellationToken);
        }
    }
}

/// <summary>The process dying at a chosen point: nothing in the app catches it, and nothing after it happens.</summary>
public sealed class SimulatedCrashException(string where) : Exception($"simulated crash {where}");
