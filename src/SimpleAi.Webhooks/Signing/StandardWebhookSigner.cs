using System.Security.Cryptography;
using System.Text;

namespace SimpleAi.Webhooks.Signing;

/// <summary>Signs a body the Standard Webhooks way: the CLI's <c>sign</c>, outbound actions, and tests use it.</summary>
public static class StandardWebhookSigner
{
    public static WebhookHeaders Sign(WebhookSecret secret, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentException.ThrowIfNullOrEmpty(id);
        var timestampText = timestamp.ToString(CultureInfo.InvariantCulture);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret.Key);
        hmac.AppendData(Encoding.UTF8.GetBytes($"{id}.{timestampText}."));
        hmac.AppendData(body);
        Span<byte> mac = stackalloc byte[32];
        hmac.GetHashAndReset(mac);
        return new WebhookHeaders(id, timestampText, "v1," + Convert.ToBase64String(mac));
    }

    /// <summary>A fresh delivery id in the <c>msg_</c> style.</summary>
    public static string NewMessageId() => "msg_" + Guid.NewGuid().ToString("N");
}
