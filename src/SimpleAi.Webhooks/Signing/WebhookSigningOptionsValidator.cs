using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Webhooks.Signing;

/// <summary>
/// Checks every configured secret parses, and that the setting is no unresolved Key Vault reference or placeholder,
/// without ever putting a secret into the error.
/// </summary>
public sealed class WebhookSigningOptionsValidator : IValidateOptions<WebhookSigningOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookSigningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Before the split: a VaultName=…;SecretName=… reference would otherwise be read as two bad secrets.
        if (SecretSetting.Problem("Webhook__SigningSecrets", options.SigningSecrets) is { } unresolved)
        {
            return ValidateOptionsResult.Fail(unresolved);
        }

        var parts = WebhookSecret.SplitList(options.SigningSecrets);
        if (parts.Length == 0)
        {
            return ValidateOptionsResult.Fail(
                "Webhook:SigningSecrets is required (one or more whsec_ secrets, separated by spaces).");
        }

        var failures = new List<string>();
        for (var i = 0; i < parts.Length; i++)
        {
            if (!WebhookSecret.TryParse(parts[i], out _, out var error))
            {
                failures.Add($"Webhook:SigningSecrets entry #{i + 1}: {error}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
