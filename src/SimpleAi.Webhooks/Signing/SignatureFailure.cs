namespace SimpleAi.Webhooks.Signing;

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
