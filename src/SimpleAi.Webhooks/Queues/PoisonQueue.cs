using System.Diagnostics.CodeAnalysis;

namespace SimpleAi.Webhooks.Queues;

/// <summary>
/// Sends a message the app can never use straight to <c>&lt;queue&gt;-poison</c>, with its reason, instead of
/// letting the host retry it: <c>{"reason","queue","message"}</c> where <c>message</c> is the original text.
/// </summary>
public sealed class PoisonQueue(IQueueSender sender)
{
    public Task SendAsync(string queue, string messageText, string reason, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["reason"] = reason,
            ["queue"] = queue,
            ["message"] = messageText,
        });
        return sender.SendAsync(
            new OutboundMessage(
                QueueNames.PoisonOf(queue),
                new BinaryData(body),
                Guid.NewGuid().ToString("N"),
                "poison",
                new Dictionary<string, string> { ["reason"] = reason }),
            cancellationToken);
    }

    /// <summary>
    /// Reads the app's wrapper <c>{"reason","queue","message"}</c>; false for anything else, such as the host's copy of
    /// a message it gave up on (the original text as it was).
    /// </summary>
    public static bool TryUnwrap(
        string text, [NotNullWhen(true)] out string? reason, out string? queue, [NotNullWhen(true)] out string? message)
    {
        reason = queue = message = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("message", out var original) && original.ValueKind == JsonValueKind.String
                && root.TryGetProperty("reason", out var why) && why.ValueKind == JsonValueKind.String)
            {
                reason = why.GetString()!;
                message = original.GetString()!;
                queue = root.TryGetProperty("queue", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
                return true;
            }
        }
        catch (JsonException)
        {
            // Not JSON: not a wrapper.
        }

        return false;
    }
}
