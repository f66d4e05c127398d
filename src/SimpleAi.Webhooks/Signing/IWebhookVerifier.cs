namespace SimpleAi.Webhooks.Signing;

/// <summary>Verifies that a webhook delivery was signed by a holder of a configured secret.</summary>
public interface IWebhookVerifier
{
    /// <param name="body">The raw request body, exactly as received.</param>
    /// <param name="header">Returns a request header's value, or null when it is absent.</param>
    SignatureVerification Verify(ReadOnlySpan<byte> body, Func<string, string?> header);
}
