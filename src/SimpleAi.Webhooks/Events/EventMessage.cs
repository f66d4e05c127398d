namespace SimpleAi.Webhooks.Events;

/// <summary>
/// A verified delivery as it sits on the <c>events</c> queue: the raw body byte for byte, with the envelope fields
/// and the trace context of the request that received it. A body too large for a queue message is in Blob
/// Storage instead (<see cref="BodyBlob"/>, see <see cref="EventBodyStore"/>) and <see cref="Body"/> is empty.
/// </summary>
public sealed record EventMessage(
    string EventId,
    string EventType,
    string? CallId,
    int? Attempt,
    string? WebhookId,
    DateTimeOffset ReceivedAt,
    string? TraceParent,
    string? TraceState,
    ReadOnlyMemory<byte> Body,
    string? BodyBlob = null)
{
    public static EventMessage From(
        WebhookEnvelope envelope,
        string? webhookId,
        DateTimeOffset receivedAt,
        string? traceParent,
        string? traceState,
        ReadOnlyMemory<byte> body,
        string? bodyBlob)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return new EventMessage(
            envelope.EventId,
            envelope.EventType,
            envelope.CallId,
            envelope.Attempt,
            webhookId,
            receivedAt,
            traceParent,
            traceState,
            body,
            bodyBlob);
    }
}

/// <summary>The Simple AI event types this app acts on. Any other type is accepted, queued and ignored.</summary>
public static class EventTypes
{
    public const string CallStarted = "call.started";
    public const string CallCompleted = "call.completed";
    public const string CallTranscriptUpdate = "call.transcript_update";

    /// <summary>The create-webhook API's spelling of <see cref="CallTranscriptUpdate"/>.</summary>
    public const string TranscriptUpdated = "transcript.updated";

    public static bool IsKnown(string eventType) => eventType is CallStarted or CallCompleted or CallTranscriptUpdate or TranscriptUpdated;
}
