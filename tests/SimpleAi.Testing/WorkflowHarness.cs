using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Azure.WebJobs.Host.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SimpleAi.Functions;
using SimpleAi.LocalHost;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Storage;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Testing;

/// <summary>
/// The whole app in process on Azurite, run by <see cref="LocalFunctionsHost"/>: <c>WebhookIngest</c> over HTTP for
/// posts, and the WebJobs SDK's real Storage Queues listeners for <c>RouteEvent</c>, <c>TranscriptFetch</c> and every
/// step function, with a three-step workflow (a, b, c) of recording steps.
/// </summary>
public sealed class WorkflowHarness : IAsyncDisposable
{
    public static readonly string[] Steps = ["a", "b", "c"];

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    private WorkflowHarness(LocalFunctionsHost host, QueueServiceClient queues, RecordingLoggerProvider logs)
    {
        Host = host;
        Logs = logs;
        Queues = queues;
    }

    /// <summary>The host running the app: its queue options, its failures, <see cref="LocalFunctionsHost.WaitUntilIdleAsync"/>.</summary>
    public LocalFunctionsHost Host { get; }

    public IServiceProvider App => Host.Services;

    public QueueServiceClient Queues { get; }

    public EffectLog Effects => App.GetRequiredService<EffectLog>();

    public RecordingLoggerProvider Logs { get; }

    /// <summary>The webhook endpoint on the host's HTTP server.</summary>
    public Uri WebhookUrl => new(Host.BaseAddress!, "api/" + HttpFunctions.IngestRoute);

    /// <summary>
    /// host.json's queue settings made fast for tests: a failed try is retried after 100 ms (not 30 s) and an empty
    /// queue is polled at least every 200 ms (not 2 s). Everything else (maxDequeueCount, batch sizes, encoding) as host.json says.
    /// </summary>
    public static void FastQueues(QueuesOptions queues)
    {
        ArgumentNullException.ThrowIfNull(queues);
        queues.VisibilityTimeout = TimeSpan.FromMilliseconds(100);
        queues.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
    }

    /// <summary>The app on <paramref name="storageConnection"/>, to configure with the builder's <c>With…</c> calls before <see cref="WorkflowHarnessBuilder.StartAsync"/>.</summary>
    public static WorkflowHarnessBuilder Create(string storageConnection) => new(storageConnection);

    internal static async Task<WorkflowHarness> StartAsync(
        string storageConnection,
        Dictionary<string, string?> settings,
        Action<IServiceCollection> configure,
        Action<QueuesOptions> changeQueues,
        IQueueProcessorFactory? queueProcessors,
        bool clearQueues,
        IReadOnlyList<Type> functionTypes)
    {
        var logs = new RecordingLoggerProvider();
        if (clearQueues)
        {
            await ForgetDestinationsAsync(storageConnection);
        }

        var functions = await LocalFunctionsHost.StartAsync(new LocalHostOptions
        {
            Configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build(),
            ConfigureLogging = logging => logging.AddProvider(logs),
            HostLogLevel = LogLevel.Warning,
            ConfigureServices = services =>
            {
                services.AddSingleton<EffectLog>();
                services.AddWorkflowStep<StepA>("a").AddWorkflowStep<StepB>("b").AddWorkflowStep<StepC>("c");
                TestApp.AddFunctionClasses(services);
                configure(services);
            },
            ExtraFunctionTypes = [typeof(StepAFunction), typeof(StepBFunction), typeof(StepCFunction), .. functionTypes],
            ConfigureQueues = queues =>
            {
                FastQueues(queues);
                changeQueues(queues);
            },
            QueueProcessorFactory = queueProcessors,
            ClearQueues = clearQueues,
        });
        return new WorkflowHarness(functions, new QueueServiceClient(storageConnection, AzureConnections.QueueOptions()), logs);
    }

    /// <summary>
    /// Destinations start healthy and unthrottled, as the queues start empty: an earlier test's failures must not add
    /// up to a pause (or its slots to a wait) in this one.
    /// </summary>
    private static async Task ForgetDestinationsAsync(string storageConnection)
    {
        var tables = new TableServiceClient(storageConnection);
        foreach (var name in new[] { TableNames.Destinations, TableNames.RateLimits })
        {
            var table = tables.GetTableClient(name);
            try
            {
                await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
                {
                    await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
                }
            }
            catch (Azure.RequestFailedException e) when (e.Status == 404)
            {
                // Not provisioned yet: the host creates it at start, empty.
            }
        }
    }

    /// <summary>Posts a signed delivery to the webhook endpoint over HTTP, with a trace context (<see cref="HttpInvoker.TraceParent"/>).</summary>
    /// <param name="signedAt">The signature's time: now, unless the app runs on a fake clock.</param>
    public async Task<HttpResponseRecord> PostAsync(byte[] body, string webhookId, DateTimeOffset? signedAt = null)
    {
        var headers = TestSigning.Sign(body, signedAt ?? DateTimeOffset.UtcNow, webhookId);
        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", headers.Id);
        request.Headers.Add("webhook-timestamp", headers.Timestamp);
        request.Headers.Add("webhook-signature", headers.Signature);
        request.Headers.Add("traceparent", HttpInvoker.TraceParent);
        request.Headers.Add("tracestate", "vendor=test");
        using var response = await Http.SendAsync(request);
        var answer = new HeaderDictionary();
        foreach (var (name, value) in response.Headers.Concat(response.Content.Headers))
        {
            answer[name] = value.ToArray();
        }

        var text = await response.Content.ReadAsStringAsync();
        using var document = text.Length == 0 ? null : JsonDocument.Parse(text);
        return new HttpResponseRecord((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), answer, document?.RootElement.Clone());
    }

    /// <summary>Waits until every trigger queue is empty and no function runs (retries included), or throws at the deadline naming what is left.</summary>
    public Task RunUntilIdleAsync(int seconds = 60) => Host.WaitUntilIdleAsync(TimeSpan.FromSeconds(seconds));

    public Task<WorkflowRun?> RunOfAsync(string callId) => App.GetRequiredService<RunStore>().FindAsync(callId, CancellationToken.None);

    public async Task<List<string>> PoisonedAsync(string queue)
    {
        var messages = await Queues.GetQueueClient(QueueNames.PoisonOf(queue)).PeekMessagesAsync(32);
        return messages.Value.Select(m => m.MessageText).ToList();
    }

    public static byte[] CallCompleted(string callId, string eventId, int attempt = 1) =>
        System.Text.Encoding.UTF8.GetBytes(
            $"{{\"event_type\":\"call.completed\",\"event_id\":\"{eventId}\",\"payload\":{{\"call_id\":\"{callId}\",\"attempt\":{attempt}}}}}");

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
