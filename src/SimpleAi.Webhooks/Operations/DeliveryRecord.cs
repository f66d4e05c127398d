namespace SimpleAi.Webhooks.Operations;

/// <summary>One delivery as the router recorded it; <see cref="Duplicate"/> for a repeat of an event id.</summary>
public sealed record DeliveryRecord(
    string EventId, string? EventType, string? CallId, int? Attempt, string? WebhookId, DateTimeOffset? ReceivedAt, bool Duplicate);
