using System.ComponentModel.DataAnnotations;

namespace SimpleAi.Webhooks.Signing;

/// <summary>Settings of inbound signature verification (section <c>Webhook</c>).</summary>
public sealed class WebhookSigningOptions
{
    public const string Section = "Webhook";

    /// <summary>
    /// One or more <c>whsec_</c> secrets, separated by spaces or commas: during a rotation, the old and the new.
    /// A Key Vault reference in Azure, <c>local.settings.json</c> locally.
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Webhook__SigningSecrets is required (one or more whsec_ secrets, separated by spaces).")]
    public string SigningSecrets { get; set; } = string.Empty;

    /// <summary>How far a <c>webhook-timestamp</c> may be from now, in either direction.</summary>
    [Range(1, 86_400)]
    public int TimestampToleranceSeconds { get; set; } = 300;
}
