using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;
using SimpleAi.Webhooks.Connections;

namespace SimpleAi.Functions.Tests.LocalHost;

// Functions the local host cannot serve, declared here (never in the app) to show that LocalHostSupport.Problems
// names each. The Blob attributes are declared as Microsoft.Azure.Functions.Worker.Extensions.Storage.Blobs declares
// them (that package is not restored here): an input binding and a trigger, from the worker's abstractions.

/// <summary>As the Blobs extension's <c>BlobInputAttribute</c>.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class BlobInputAttribute(string blobPath) : InputBindingAttribute
{
    public string BlobPath { get; } = blobPath;

    public string? Connection { get; set; }
}

/// <summary>As the Blobs extension's <c>BlobTriggerAttribute</c>.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class BlobTriggerAttribute(string blobPath) : TriggerBindingAttribute
{
    public string BlobPath { get; } = blobPath;

    public string? Connection { get; set; }
}

public sealed class BlobInputFunction
{
    [Function("unserved-blob-input")]
    public Task Run([QueueTrigger("unserved-blob-input", Connection = ConnectionNames.Storage)] string message, [BlobInput("calls/{queueTrigger}")] string call) => Task.CompletedTask;
}

public sealed class BlobTriggerFunction
{
    [Function("unserved-blob-trigger")]
    public Task Run([BlobTrigger("calls/{name}", Connection = ConnectionNames.Storage)] string blob) => Task.CompletedTask;
}

public sealed class QueueOutputFunction
{
    [Function("unserved-queue-output")]
    [QueueOutput("unserved-next")]
    public string Run([QueueTrigger("unserved-queue-output", Connection = ConnectionNames.Storage)] string message) => message;
}

public sealed class MultiOutputFunction
{
    [Function("unserved-multi-output")]
    public MultiOutput Run([HttpTrigger(AuthorizationLevel.Anonymous, "post")] HttpRequest request) => new(new OkResult(), "next");

    public sealed record MultiOutput([property: HttpResult] IActionResult Result, [property: QueueOutput("unserved-next")] string Next);
}

public sealed class RetryPolicyFunction
{
    [Function("unserved-retry")]
    [FixedDelayRetry(3, "00:00:05")]
    public Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer) => Task.CompletedTask;
}

public sealed class PocoTriggerFunction
{
    [Function("unserved-poco")]
    public Task Run([QueueTrigger("unserved-poco", Connection = ConnectionNames.Storage)] Order order) => Task.CompletedTask;

    public sealed record Order(string Id);
}

public sealed class TimerAsStringFunction
{
    [Function("unserved-timer-string")]
    public Task Run([TimerTrigger("0 */5 * * * *")] string timer) => Task.CompletedTask;
}
