using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Webhooks.Signing;

/// <summary>
/// Checks every configured secret parses, and that the setting is no unresolved Key Vault reference or placeholder,
/// without ever putting a secret into the error.
/// </summary>
public sealed class WebhookSigningOptionsValidator : ProblemsValidator<WebhookSigningOptions>
{
    protected override IEnumerable<string> Problems(WebhookSigningOptions options)
    {
        // Before the split: a VaultName=…;SecretName=… reference would otherwise be read as two bad secrets.
        if (SecretSetting.Problem("Webhook__SigningSecrets", options.SigningSecrets) is { } unresolved)
        {
            yield return unresolved;
            yield break;
        }

        var parts = WebhookSecret.SplitList(options.SigningSecrets);
        if (parts.Length == 0)
        {
            yield return "Webhook__SigningSecrets is required (one or more whsec_ secrets, separated by spaces).";
        }

        for (var i = 0; i < parts.Length; i++)
        {
            if (!WebhookSecret.TryParse(parts[i], out _, out var error))
            {
                yield return $"Webhook__SigningSecrets entry #{i + 1}: {error}.";
            }
        }
    }
}
