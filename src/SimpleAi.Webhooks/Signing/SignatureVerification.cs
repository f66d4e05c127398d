namespace SimpleAi.Webhooks.Signing;

/// <summary>The outcome of verifying one delivery: valid, or one typed failure with a reason safe to show the sender.</summary>
public readonly record struct SignatureVerification(SignatureFailure Failure, string? Reason)
{
    public static SignatureVerification Valid => default;

    public bool IsValid => Failure == SignatureFailure.None;

    public static SignatureVerification Fail(SignatureFailure failure, string reason) => new(failure, reason);

    public override string ToString() => IsValid ? "valid" : $"{Failure}: {Reason}";
}
