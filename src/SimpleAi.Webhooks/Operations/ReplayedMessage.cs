using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Webhooks.Operations;

/// <summary>A poison message and where it goes back to; <see cref="Reason"/> is why the app poisoned it, when known.</summary>
public sealed record ReplayedMessage(string MessageId, string TargetQueue, string Text, string? CallId, string? Reason)
{
    /// <summary>Why the message was not moved: its call was purged or erased ("erased on …"); null when it was moved.</summary>
    public string? Gone { get; init; }

    /// <summary>
    /// When the message's call was known to be going on: an event's <c>received_at</c>, or the creation of the run a step
    /// message carries; null when the message says neither.
    /// </summary>
    public DateTimeOffset? KnownAt()
    {
        try
        {
            using var document = JsonDocument.Parse(Text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("received_at", out var received) && received.TryGetDateTimeOffset(out var at))
            {
                return at;
            }

            return root.TryGetProperty("run", out var run) && run.ValueKind == JsonValueKind.Object
                && run.TryGetProperty("created_at", out var created) && created.TryGetDateTimeOffset(out var createdAt)
                ? createdAt
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads a message of <paramref name="poisonQueue"/>: the app's <c>{"reason","queue","message"}</c> wrapper as its
    /// original text, bound for the queue it names; anything else (the host's copy, a dead letter, not JSON) as it is,
    /// bound for the queue the poison queue is named after: the consumer says why it cannot use it.
    /// </summary>
    public static ReplayedMessage Read(string poisonQueue, string messageId, string text)
    {
        ArgumentNullException.ThrowIfNull(poisonQueue);
        ArgumentNullException.ThrowIfNull(text);
        var target = poisonQueue.EndsWith("-poison", StringComparison.Ordinal) ? poisonQueue[..^"-poison".Length] : poisonQueue;
        string? reason = null;
        if (PoisonQueue.TryUnwrap(text, out var why, out var queue, out var original))
        {
            reason = why;
            target = queue ?? target;
            text = original;
        }

        return new ReplayedMessage(messageId, target, text, CallIdOf(text), reason);
    }

    private static string? CallIdOf(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("call_id", out var id)
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
