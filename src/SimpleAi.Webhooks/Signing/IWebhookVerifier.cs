namespace SimpleAi.Webhooks.Signing;

/// <summary>Verifies that a webhook delivery was signed by a holder of a configured secret.</summary>
public interface IWebhookVerifier
{
    /// <param name="body">The raw request body, exactly as received.</param>
    /// <param name="header">Returns a request header's value, or null when it is absent.</param>
    SignatureVerification Verify(ReadOnlySpan<byte> body, Func<string, string?> header);
}

/// <summary>The outcome of verifying one delivery: valid, or one typed failure with a reason safe to show the sender.</summary>
public readonly record struct SignatureVerification(SignatureFailure Failure, string? Reason)
{
    public static SignatureVerification Valid => default;

    public bool IsValid => Failure == SignatureFailure.None;

    public static SignatureVerification Fail(SignatureFailure failure, string reason) => new(failure, reason);

    public override string ToString() => IsValid ? "valid" : $"{Failure}: {Reason}";
}

/// <summary>Why a delivery's signature was refused.</summary>
public enum SignatureFailure
{
    None = 0,
    MissingHeader,
    InvalidTimestamp,
    TimestampExpired,
    TimestampInFuture,
    MalformedSignature,
    SignatureMismatch,
}
