namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// One delivery as the router recorded it; <see cref="Duplicate"/> for a repeat of an event id. A delivery the app
/// accepted (answered 202) but has not routed yet is not <see cref="Routed"/>: it is read from the <c>events</c> queue.
/// </summary>
public sealed record DeliveryRecord(
    string EventId, string? EventType, string? CallId, int? Attempt, string? WebhookId, DateTimeOffset? ReceivedAt, bool Duplicate, bool Routed = true);
