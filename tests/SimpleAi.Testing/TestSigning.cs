using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Testing;

/// <summary>The secret the tests configure, and a way to sign a body with it.</summary>
public static class TestSigning
{
    public const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public const string OtherSecret = "whsec_C2FtcGxlLW90aGVyLXNlY3JldC0xMjM0NTY3OA==";

    public static WebhookHeaders Sign(byte[] body, DateTimeOffset at, string? id = null, string secret = Secret) =>
        StandardWebhookSigner.Sign(WebhookSecret.Parse(secret), id ?? StandardWebhookSigner.NewMessageId(), at.ToUnixTimeSeconds(), body);
}
