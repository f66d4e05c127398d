namespace SimpleAi.Webhooks.Signing;

/// <summary>
/// The three Standard Webhooks headers of one delivery, read with either spelling
/// (<c>webhook-*</c>, or <c>svix-*</c> as Svix sends them).
/// </summary>
public readonly record struct WebhookHeaders(string? Id, string? Timestamp, string? Signature)
{
    public const string IdName = "webhook-id";
    public const string TimestampName = "webhook-timestamp";
    public const string SignatureName = "webhook-signature";

    /// <summary>Reads the headers through an accessor that returns null for an absent header.</summary>
    public static WebhookHeaders Read(Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return new WebhookHeaders(
            header(IdName) ?? header("svix-id"),
            header(TimestampName) ?? header("svix-timestamp"),
            header(SignatureName) ?? header("svix-signature"));
    }
}
