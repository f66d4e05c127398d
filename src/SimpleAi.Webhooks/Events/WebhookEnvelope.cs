namespace SimpleAi.Webhooks.Events;

/// <summary>
/// The fields of a Simple AI webhook body that routing needs:
/// <c>{"event_type","event_id","payload":{"call_id","attempt"}}</c>. Call fields are absent only for unknown event types.
/// </summary>
public sealed record WebhookEnvelope(string EventType, string EventId, string? CallId, int? Attempt)
{
    public bool IsKnownType => EventTypes.IsKnown(EventType);
}
