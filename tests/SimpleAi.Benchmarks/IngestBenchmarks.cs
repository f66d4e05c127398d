using Azure.Storage.Queues;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using SimpleAi.Functions;
using SimpleAi.Testing;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Benchmarks;

/// <summary>
/// The ingest function in process (request in, signature verified, envelope read, message encoded, sent to the
/// <c>events</c> queue on Azurite, 202 written) against the floor of one bare send of the same message text with the
/// same client options: the one operation an acknowledgement cannot do without.
/// </summary>
public class IngestBenchmarks : AzuriteBenchmark
{
    private HttpFunctions? _ingest;
    private FunctionContext? _context;
    private QueueClient? _floorQueue;
    private BinaryData? _floorMessage;
    private byte[] _body = [];
    private KeyValuePair<string, string>[] _headers = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        await StartAsync();
        _ingest = App.GetRequiredService<HttpFunctions>();
        _body = RepoPaths.FixtureBytes("webhook-call-completed.json");
        // Signed once: the run is far shorter than the 5-minute tolerance.
        var signed = TestSigning.Sign(_body, DateTimeOffset.UtcNow, "msg_benchmark");
        _headers = [new("webhook-id", signed.Id!), new("webhook-timestamp", signed.Timestamp!), new("webhook-signature", signed.Signature!)];
        var trace = new Mock<TraceContext>();
        trace.SetupGet(t => t.TraceParent).Returns(HttpInvoker.TraceParent);
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.TraceContext).Returns(trace.Object);
        _context = context.Object;

        // The floor sends exactly what the function sends: take the message one call queued.
        var events = new QueueServiceClient(Azurite.ConnectionString, AzureConnections.QueueOptions()).GetQueueClient(QueueNames.Events);
        await events.CreateIfNotExistsAsync();
        await Ingest();
        _floorMessage = (await events.ReceiveMessageAsync()).Value.Body;
        _floorQueue = new QueueServiceClient(Azurite.ConnectionString, AzureConnections.QueueOptions()).GetQueueClient("ingest-floor");
        await _floorQueue.CreateIfNotExistsAsync();
    }

    [Benchmark(Baseline = true, Description = "floor: one queue send")]
    public Task Floor() => _floorQueue!.SendMessageAsync(_floorMessage, timeToLive: TimeSpan.FromSeconds(-1));

    [Benchmark(Description = "ours: WebhookIngest.Run → 202")]
    public async Task<int> Ingest()
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.Body = new MemoryStream(_body, writable: false);
        http.Request.ContentLength = _body.Length;
        http.Request.ContentType = "application/json";
        foreach (var (name, value) in _headers)
        {
            http.Request.Headers.Append(name, value);
        }

        var result = await _ingest!.WebhookIngest(http.Request, _context!);
        await result.ExecuteResultAsync(new ActionContext(http, new RouteData(), new ActionDescriptor()));
        return http.Response.StatusCode == 202 ? 202 : throw new InvalidOperationException($"ingest answered {http.Response.StatusCode}");
    }
}
