namespace SimpleAi.Webhooks.Events;

/// <summary>
/// A verified delivery as it sits on the <c>events</c> queue: the raw body byte for byte, with the envelope fields
/// and the trace context of the request that received it.
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
    ReadOnlyMemory<byte> Body)
{
    public static EventMessage From(
        WebhookEnvelope envelope,
        string? webhookId,
        DateTimeOffset receivedAt,
        string? traceParent,
        string? traceState,
        ReadOnlyMemory<byte> body)
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
            body);
    }
}
