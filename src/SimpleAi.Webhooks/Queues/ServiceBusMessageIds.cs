using System.Security.Cryptography;
using System.Text;

namespace SimpleAi.Webhooks.Queues;

/// <summary>
/// Service Bus takes a <c>MessageId</c> of at most 128 characters, and Simple AI's event ids may have up to 256
/// (<see cref="Events.EnvelopeParser.MaxEventIdLength"/>). A longer id is sent as <c>sha256:</c> and the hex of its
/// SHA-256: stable, so broker duplicate detection still sees two deliveries of one event as one.
/// </summary>
public static class ServiceBusMessageIds
{
    public const int MaxLength = 128;

    private const string HashedPrefix = "sha256:";

    public static string For(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.Length <= MaxLength
            ? id
            : HashedPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
    }
}
