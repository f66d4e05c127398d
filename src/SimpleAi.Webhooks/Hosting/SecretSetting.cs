namespace SimpleAi.Webhooks.Hosting;

/// <summary>
/// Tells a secret from text that only stands where a secret should be. App Service (and so Azure Functions) passes an
/// app setting's <c>@Microsoft.KeyVault(SecretUri=…)</c> or <c>@Microsoft.KeyVault(VaultName=…;SecretName=…)</c>
/// reference through as its own text when it cannot resolve it ("If a reference isn't resolved properly, the
/// reference string is used instead"); that text is public (it names the vault), so it must never work as a secret.
/// The same goes for App Configuration references and for <c>local.settings.sample.json</c>'s <c>replace-with-…</c>
/// placeholders. Every secret option asks this one place; messages name the setting, never the value.
/// </summary>
public static class SecretSetting
{
    /// <summary>How <c>local.settings.sample.json</c> marks a value the user must replace.</summary>
    public const string PlaceholderPrefix = "replace-with-";

    private static readonly string[] ReferencePrefixes = ["@Microsoft.KeyVault(", "@Microsoft.AppConfiguration("];

    /// <summary>True when <paramref name="value"/> is an unresolved reference or a placeholder (empty is not: absence is each option's own rule).</summary>
    public static bool IsUnresolved(string? value) => Reason(value) is not null;

    /// <summary>True when <paramref name="value"/> is the sample's <c>replace-with-…</c> placeholder.</summary>
    public static bool IsPlaceholder(string? value) => value.AsSpan().Trim().StartsWith(PlaceholderPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Why <paramref name="value"/> cannot be a secret, without quoting it; null when it can (or is empty).</summary>
    public static string? Reason(string? value)
    {
        var text = value.AsSpan().Trim();
        foreach (var prefix in ReferencePrefixes)
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return "holds an unresolved Key Vault reference: App Service passes the reference's text when it cannot read "
                    + "the secret (check that the secret exists in the vault, and that the app's identity may read it)";
            }
        }

        return text.StartsWith(PlaceholderPrefix, StringComparison.OrdinalIgnoreCase)
            ? "still holds the sample's placeholder: set it to the real secret"
            : null;
    }

    /// <summary>
    /// The start-up error for <paramref name="setting"/> (its app-setting name, <c>Section__Name</c>), or null when
    /// <paramref name="value"/> can be a secret.
    /// </summary>
    public static string? Problem(string setting, string? value) =>
        Reason(value) is { } reason ? $"{setting} {reason}." : null;
}
