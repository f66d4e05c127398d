using System.Collections.Concurrent;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using SimpleAi.Webhooks.Connections;

namespace SimpleAi.Functions.Tests.LocalHost;

/// <summary>What the probe functions saw: each invocation's function, message text and dequeue count (from the binding data).</summary>
public sealed class ProbeLog
{
    public ConcurrentQueue<(string Function, string? Message, long DequeueCount)> Invocations { get; } = new();

    /// <summary>Each invocation's binding data, as the function saw it.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, object?>> BindingData { get; } = new();

    public void Record(string function, string? message, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var count = context.BindingContext.BindingData.TryGetValue("DequeueCount", out var value) ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        Invocations.Enqueue((function, message, count));
        BindingData.Enqueue(context.BindingContext.BindingData);
    }
}

/// <summary>A queue function that records its invocations and succeeds.</summary>
public sealed class RecordingProbe(ProbeLog log)
{
    public const string Queue = "host-probe-recording";

    [Function("probe-recording")]
    public Task Run([QueueTrigger(Queue, Connection = ConnectionNames.Storage)] string message, FunctionContext context)
    {
        log.Record("probe-recording", message, context);
        return Task.CompletedTask;
    }
}

/// <summary>A queue function that records its invocations and always fails.</summary>
public sealed class FailingProbe(ProbeLog log)
{
    public const string Queue = "host-probe-failing";

    [Function("probe-failing")]
    public Task Run([QueueTrigger(Queue, Connection = ConnectionNames.Storage)] string message, FunctionContext context, CancellationToken cancellationToken)
    {
        log.Record("probe-failing", message, context);
        throw new InvalidOperationException($"probe failure (cancellable: {cancellationToken.CanBeCanceled})");
    }
}

/// <summary>A timer function (every second, and once at start).</summary>
public sealed class TimerProbe(ProbeLog log)
{
    [Function("probe-timer")]
    public Task Run([TimerTrigger("*/1 * * * * *", RunOnStartup = true, UseMonitor = false)] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(timer);
        log.Record("probe-timer", null, context);
        return Task.CompletedTask;
    }
}

/// <summary>A function with a parameter the host cannot bind.</summary>
public sealed class UnbindableProbe
{
    [Function("probe-unbindable")]
    public Task Run([QueueTrigger("host-probe-unbindable", Connection = ConnectionNames.Storage)] string message, ILogger log) => Task.CompletedTask;
}
