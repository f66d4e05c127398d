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

    public static readonly Counter<long> IngestResponses =
        Meter.CreateCounter<long>("simpleai.webhooks.ingest.responses", description: "Answers of the webhook endpoint, by status_code.");

    public static readonly Histogram<double> IngestDuration =
        Meter.CreateHistogram<double>("simpleai.webhooks.ingest.duration", unit: "ms", description: "Time to answer a delivery, by status_code.");

    public static readonly Counter<long> RunsFailed =
        Meter.CreateCounter<long>("simpleai.webhooks.runs.failed", description: "Workflow runs that turned failed, by the step they stopped at and cause.");

    public static readonly Counter<long> PoisonMoves =
        Meter.CreateCounter<long>("simpleai.webhooks.poison.moves", description: "Messages put in a poison queue, by the queue they left and origin (app or host).");

    public static readonly Counter<long> DestinationStateChanges =
        Meter.CreateCounter<long>("simpleai.webhooks.destination.state_changes", description: "Destinations paused or resumed, by destination, state and by (failures, operator, probe, delivery).");

    public static readonly Counter<long> StepsSkippedForField =
        Meter.CreateCounter<long>(
            "simpleai.webhooks.step.skipped_for_field",
            description: "Steps skipped because a field their condition reads was absent from the call (or not a number for gt/gte/lt/lte), by step, field (the name the rule gives, never a value) and cause (absent, not_a_number).");

    public static readonly Counter<long> PreCallSources =
        Meter.CreateCounter<long>("simpleai.webhooks.precall.sources", description: "Pre-call sources asked (the contacts table as contact), by source (its configured name) and outcome (answered, not_found, timeout, over_budget, http_error, unreachable, invalid_json, not_an_object, too_large, unavailable, failed).");

    public static readonly Histogram<double> PreCallSourceDuration =
        Meter.CreateHistogram<double>("simpleai.webhooks.precall.source.duration", unit: "ms", description: "Time a pre-call source took, by source and outcome.");

    /// <summary>Counts one source of a pre-call answer and its time; a source left out is counted with its reason as outcome.</summary>
    public static void PreCallSourceAnswered(string source, string outcome, double milliseconds)
    {
        var tags = new TagList { { "source", source }, { "outcome", outcome } };
        PreCallSources.Add(1, tags);
        PreCallSourceDuration.Record(milliseconds, tags);
    }

    /// <summary>
    /// Counts a step skipped for a field its condition could not use. The field is the name the configured rule
    /// gives (configuration, low cardinality), never anything read from the call.
    /// </summary>
    public static void SkippedForField(string step, Rules.FieldMiss miss)
    {
        ArgumentNullException.ThrowIfNull(miss);
        StepsSkippedForField.Add(
            1,
            new KeyValuePair<string, object?>("step", step),
            new KeyValuePair<string, object?>("field", miss.Field),
            new KeyValuePair<string, object?>("cause", miss.Cause));
    }

    /// <summary>Counts a destination pausing or resuming; <paramref name="by"/> says what did it.</summary>
    public static void DestinationStateChanged(string destination, string state, string by) => DestinationStateChanges.Add(
        1, new KeyValuePair<string, object?>("destination", destination), new KeyValuePair<string, object?>("state", state), new KeyValuePair<string, object?>("by", by));

    /// <summary>Counts one answer of the webhook endpoint and its duration. Low cardinality: the status code only.</summary>
    public static void Answered(int statusCode, TimeSpan duration)
    {
        var status = new KeyValuePair<string, object?>("status_code", statusCode);
        IngestResponses.Add(1, status);
        IngestDuration.Record(duration.TotalMilliseconds, status);
    }

    /// <summary>
    /// Counts a run about to be marked failed, unless it already is: the sweep fails again, from the host's poison copy,
    /// a run whose last try the app already failed. Call it just before marking the run failed.
    /// </summary>
    /// <param name="alreadyFailed">The run was failed before: not counted again.</param>
    public static void RunFailing(string step, string cause, bool alreadyFailed)
    {
        if (!alreadyFailed)
        {
            RunsFailed.Add(1, new KeyValuePair<string, object?>("step", step), new KeyValuePair<string, object?>("cause", cause));
        }
    }

    /// <summary>Counts a message put in <c>&lt;queue&gt;-poison</c>: by the app (it can never use it) or taken in from the host (it gave up).</summary>
    public static void Poisoned(string queue, PoisonOrigin origin) => PoisonMoves.Add(
        1, new KeyValuePair<string, object?>("queue", queue), new KeyValuePair<string, object?>("origin", origin == PoisonOrigin.App ? "app" : "host"));

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
