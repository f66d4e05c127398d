using System.Text.Json;

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
}
