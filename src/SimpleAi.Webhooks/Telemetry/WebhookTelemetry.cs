using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SimpleAi.Webhooks.Telemetry;

/// <summary>
/// The app's traces and metrics, both named <see cref="Name"/>. One trace follows a call from the HTTP request
/// through every queue hop: each message carries the <c>traceparent</c> of the span that sent it, and the consumer
/// continues that trace. Without a listener no span is created and the incoming context is passed on unchanged.
/// </summary>
public static class WebhookTelemetry
{
    public const string Name = "SimpleAi.Webhooks";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> EventsReceived =
        Meter.CreateCounter<long>("simpleai.webhooks.events_received", description: "Deliveries accepted and queued, by event_type.");

    public static readonly Counter<long> DuplicateDeliveries =
        Meter.CreateCounter<long>("simpleai.webhooks.duplicate_deliveries", description: "Deliveries whose event_id was seen before.");

    public static readonly Counter<long> SignatureFailures =
        Meter.CreateCounter<long>("simpleai.webhooks.signature_failures", description: "Deliveries refused for their signature, by reason.");

    public static readonly Histogram<double> StepDuration =
        Meter.CreateHistogram<double>("simpleai.webhooks.step.duration", unit: "ms", description: "Workflow step tries, by step and outcome.");

    /// <summary>
    /// Starts a span that continues the trace carried by a received message (or given by the host). The host's own
    /// invocation span of a queue trigger starts a new trace, since it cannot read our messages: it is linked instead.
    /// </summary>
    public static Activity? StartFrom(string name, ActivityKind kind, string? traceParent, string? traceState)
    {
        if (!ActivityContext.TryParse(traceParent, traceState, out var parent))
        {
            return Source.StartActivity(name, kind);
        }

        var links = Activity.Current is { } invocation && invocation.TraceId != parent.TraceId
            ? new[] { new ActivityLink(invocation.Context) }
            : null;
        return Source.StartActivity(name, kind, parent, links: links);
    }

    /// <summary>The trace context to put on the next message: the current span's, else the one received.</summary>
    public static (string? TraceParent, string? TraceState) ContextToSend(string? received, string? receivedState) =>
        Activity.Current is { } current ? (current.Id, current.TraceStateString) : (received, receivedState);
}
