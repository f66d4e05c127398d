using System.Diagnostics;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Telemetry;
using SimpleAi.Webhooks.Transcripts;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Routing;

/// <summary>
/// The consumer of the <c>events</c> queue: records each delivery once (a duplicate is counted and has no effect),
/// then routes by type. <c>call.completed</c> starts the call's post-call run (once per call); <c>call.started</c>
/// records the call as in progress; a transcript update asks for a (coalesced) transcript fetch; unknown types are
/// recorded and ignored.
/// </summary>
public sealed partial class EventRouter(
    DeliveryLedger deliveries,
    WorkflowStarter workflows,
    CallRecords calls,
    TranscriptCoalescer transcripts,
    PoisonQueue poison,
    ILogger<EventRouter> logger)
{
    /// <param name="delivery">The host's id and try number of the queue message.</param>
    public async Task RouteAsync(string messageText, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        if (!EventMessageCodec.TryDecode(System.Text.Encoding.UTF8.GetBytes(messageText), out var message, out var error))
        {
            LogPoisoned(error);
            await poison.SendAsync(QueueNames.Events, messageText, error, cancellationToken);
            WebhookTelemetry.Poisoned(QueueNames.Events, PoisonOrigin.App);
            return;
        }

        using var activity = WebhookTelemetry.StartFrom($"route {message.EventType}", ActivityKind.Consumer, message.TraceParent, message.TraceState);
        activity?.SetTag("event_id", message.EventId).SetTag("event_type", message.EventType).SetTag("call_id", message.CallId);
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["event_id"] = message.EventId,
            ["call_id"] = message.CallId,
        });
        var first = await deliveries.TryRecordAsync(message, delivery.MessageId, cancellationToken);
        if (!first)
        {
            WebhookTelemetry.DuplicateDeliveries.Add(1, new KeyValuePair<string, object?>("event_type", message.EventType));
            LogDuplicate(message.EventId, message.EventType);
            await deliveries.RecordDuplicateAsync(message, delivery.MessageId, cancellationToken);
        }

        // Every case below decides from state it re-reads, never from which queue message carries the event: a
        // duplicate, a redelivery after a crash and a replay from the poison queue all finish what was left and
        // repeat nothing that was done.
        switch (message.EventType)
        {
            case EventTypes.CallCompleted when message.CallId is not null:
                // One run per call; a duplicate costs one run read, and restarts a run whose first hop was poisoned.
                var startedFrom = await workflows.StartAsync(message, delivery, seenBefore: !first, cancellationToken);
                if (startedFrom is not null && startedFrom != message.EventId)
                {
                    // Another completion of the call (another event id): its row stays reachable from the call.
                    await deliveries.RecordCompletionReferenceAsync(message, cancellationToken);
                }

                break;
            case EventTypes.CallStarted when message.CallId is not null:
                // Recorded once per call; forwarded until the forward succeeded once.
                await calls.StartedAsync(message, delivery.MessageId, cancellationToken);
                LogRecorded(message.EventType, message.EventId);
                break;
            case EventTypes.CallTranscriptUpdate or EventTypes.TranscriptUpdated when message.CallId is not null:
                var (traceParent, _) = WebhookTelemetry.ContextToSend(message.TraceParent, message.TraceState);
                await transcripts.RequestFetchAsync(message.CallId, message.EventId, traceParent, cancellationToken);
                LogRecorded(message.EventType, message.EventId);
                break;
            case var type when first && !EventTypes.IsKnown(type):
                LogIgnored(message.EventType, message.EventId);
                break;
        }
    }

    [LoggerMessage(1, LogLevel.Error, "Moved a message from the events queue to its poison queue: {Reason}")]
    private partial void LogPoisoned(string reason);

    [LoggerMessage(2, LogLevel.Information, "Duplicate delivery of {EventType} {EventId}: no effect")]
    private partial void LogDuplicate(string eventId, string eventType);

    [LoggerMessage(3, LogLevel.Information, "Recorded {EventType} {EventId}")]
    private partial void LogRecorded(string eventType, string eventId);

    [LoggerMessage(4, LogLevel.Information, "Recorded and ignored {EventType} {EventId}: not an event this app acts on")]
    private partial void LogIgnored(string eventType, string eventId);
}
