using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using SimpleAi.Functions;
using SimpleAi.Functions.Workflow;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Storage;
using SimpleAi.Webhooks.Workflow;
using AzureQueueMessage = Azure.Storage.Queues.Models.QueueMessage;

namespace SimpleAi.Testing;

/// <summary>
/// The whole app in process on Azurite: <c>WebhookIngest</c> for posts, and the dispatcher playing the host for
/// <c>RouteEvent</c> and every step function of a three-step workflow (a, b, c) of recording steps.
/// </summary>
public sealed class WorkflowHarness : IAsyncDisposable
{
    public static readonly string[] Steps = ["a", "b", "c"];

    /// <summary>host.json's retry limit, with retries made visible again at once so tests stay fast.</summary>
    public static readonly HostQueueSettings FastHost = HostQueueSettings.FromHostJson() with { VisibilityTimeout = TimeSpan.FromMilliseconds(100) };

    private WorkflowHarness(ServiceProvider app, QueueTriggerDispatcher dispatcher, QueueServiceClient queues, RecordingLoggerProvider logs)
    {
        Logs = logs;
        App = app;
        Dispatcher = dispatcher;
        Queues = queues;
    }

    public ServiceProvider App { get; }

    public QueueTriggerDispatcher Dispatcher { get; }

    public QueueServiceClient Queues { get; }

    public EffectLog Effects => App.GetRequiredService<EffectLog>();

    public RecordingLoggerProvider Logs { get; }

    /// <param name="settings">Changes to the app settings; by default the workflow is a, b, c.</param>
    public static async Task<WorkflowHarness> StartAsync(
        string storageConnection,
        Action<IServiceCollection>? configure = null,
        Action<Dictionary<string, string?>>? settings = null,
        HostQueueSettings? host = null)
    {
        var logs = new RecordingLoggerProvider();
        var values = TestApp.Settings(storageConnection);
        for (var i = 0; i < Steps.Length; i++)
        {
            values[$"Workflow:Steps:{i}:Step"] = Steps[i];
        }

        settings?.Invoke(values);
        var app = TestApp.Build(values, logs, services =>
        {
            services.AddSingleton<EffectLog>();
            services.AddWorkflowStep<StepA>("a").AddWorkflowStep<StepB>("b").AddWorkflowStep<StepC>("c");
            configure?.Invoke(services);
        });
        var queues = new QueueServiceClient(storageConnection, AzureConnections.QueueOptions());
        // Every registered step: keyword triggers start steps outside the workflow too.
        var workflowSteps = app.GetServices<WorkflowStepRegistration>().Select(r => r.Name).Distinct().ToList();
        foreach (var queue in new[] { QueueNames.Events, QueueNames.TranscriptFetch }.Concat(workflowSteps.Select(QueueNames.Step)))
        {
            foreach (var name in new[] { queue, QueueNames.PoisonOf(queue) })
            {
                await queues.GetQueueClient(name).CreateIfNotExistsAsync();
                await queues.GetQueueClient(name).ClearMessagesAsync();
            }
        }

        await StorageProvisioning.EnsureAsync(
            queues, new Azure.Data.Tables.TableServiceClient(storageConnection), new Azure.Storage.Blobs.BlobServiceClient(storageConnection), workflowSteps, CancellationToken.None);
        var dispatcher = new QueueTriggerDispatcher(queues, host ?? FastHost)
            .On(QueueNames.Events, (message, token) => app.GetRequiredService<RouteEvent>().Run(message.MessageText, FunctionContextFor(message, token)))
            .On(QueueNames.TranscriptFetch, (message, token) => app.GetRequiredService<TranscriptFetch>().Run(message.MessageText, token));
        var runner = app.GetRequiredService<StepRunner>();
        foreach (var step in workflowSteps)
        {
            dispatcher.On(QueueNames.Step(step), (message, token) =>
                StepTrigger.RunAsync(runner, step, message.MessageText, FunctionContextFor(message, token)));
        }

        return new WorkflowHarness(app, dispatcher, queues, logs);
    }

    /// <summary>The harness with <paramref name="faults"/> in the app's storage pipelines and before the host's deletes.</summary>
    public static async Task<WorkflowHarness> StartWithFaultsAsync(
        string storageConnection, StorageFaults faults, Action<Dictionary<string, string?>>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var harness = await StartAsync(storageConnection, services => faults.Register(services, storageConnection), settings);
        harness.Dispatcher.CrashBeforeDelete = (queue, _) => faults.CrashesBeforeDelete(queue);
        return harness;
    }

    public Task<HttpResponseRecord> PostAsync(byte[] body, string webhookId)
    {
        var headers = TestSigning.Sign(body, DateTimeOffset.UtcNow, webhookId);
        return HttpInvoker.InvokeAsync(
            App.GetRequiredService<WebhookIngest>().Run,
            "POST",
            new MemoryStream(body),
            body.Length,
            "application/json",
            [
                new("webhook-id", headers.Id!),
                new("webhook-timestamp", headers.Timestamp!),
                new("webhook-signature", headers.Signature!),
            ]);
    }

    public Task RunUntilIdleAsync(int seconds = 60) => Dispatcher.RunUntilIdleAsync(TimeSpan.FromSeconds(seconds));

    public Task<WorkflowRun?> RunOfAsync(string callId) => App.GetRequiredService<RunStore>().FindAsync(callId, CancellationToken.None);

    public async Task<List<string>> PoisonedAsync(string queue)
    {
        var messages = await Queues.GetQueueClient(QueueNames.PoisonOf(queue)).ReceiveMessagesAsync(32);
        return messages.Value.Select(m => m.MessageText).ToList();
    }

    public static byte[] CallCompleted(string callId, string eventId, int attempt = 1) =>
        System.Text.Encoding.UTF8.GetBytes(
            $"{{\"event_type\":\"call.completed\",\"event_id\":\"{eventId}\",\"payload\":{{\"call_id\":\"{callId}\",\"attempt\":{attempt}}}}}");

    /// <summary>The binding data the Storage Queues trigger gives a function: the message id and the try number.</summary>
    public static FunctionContext FunctionContextFor(AzureQueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var binding = new Mock<BindingContext>();
        binding.SetupGet(b => b.BindingData).Returns(new Dictionary<string, object?>
        {
            ["Id"] = message.MessageId,
            ["DequeueCount"] = message.DequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.BindingContext).Returns(binding.Object);
        context.SetupGet(c => c.InvocationId).Returns(Guid.NewGuid().ToString());
        context.SetupGet(c => c.CancellationToken).Returns(cancellationToken);
        return context.Object;
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
