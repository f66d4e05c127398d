namespace SimpleAi.Webhooks.Queues;

/// <summary>
/// One message for a queue. <see cref="Body"/> is self-describing JSON and is the same on every transport, so the
/// consuming functions read it the same way; <see cref="MessageId"/>, <see cref="Subject"/> and
/// <see cref="Properties"/> are broker metadata that Service Bus uses (duplicate detection, filtering, tracing).
/// </summary>
public sealed record OutboundMessage(
    string QueueName,
    BinaryData Body,
    string MessageId,
    string Subject,
    IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>Keep the message invisible this long (a delayed retry); null delivers it at once.</summary>
    public TimeSpan? VisibleAfter { get; init; }
}
