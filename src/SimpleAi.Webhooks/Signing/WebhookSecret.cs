using System.Diagnostics.CodeAnalysis;

namespace SimpleAi.Webhooks.Signing;

/// <summary>
/// A Standard Webhooks signing secret: <c>whsec_</c> followed by the base64 key (the prefix is optional).
/// Never prints its key.
/// </summary>
public sealed class WebhookSecret
{
    public const string Prefix = "whsec_";

    private readonly byte[] _key;

    private WebhookSecret(byte[] key) => _key = key;

    internal ReadOnlySpan<byte> Key => _key;

    public static WebhookSecret Parse(string value) =>
        TryParse(value, out var secret, out var error)
            ? secret
            : throw new FormatException(error);

    public static bool TryParse(
        string? value,
        [NotNullWhen(true)] out WebhookSecret? secret,
        [NotNullWhen(false)] out string? error)
    {
        secret = null;
        var text = value.AsSpan().Trim();
        if (text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            text = text[Prefix.Length..];
        }

        if (text.IsEmpty)
        {
            error = "the secret is empty";
            return false;
        }

        var key = new byte[text.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64Chars(text, key, out var written) || written == 0)
        {
            error = $"the secret is not base64 after the '{Prefix}' prefix";
            return false;
        }

        secret = new WebhookSecret(key[..written]);
        error = null;
        return true;
    }

    /// <summary>Parses a list of secrets separated by spaces, commas or semicolons (several during rotation).</summary>
    public static IReadOnlyList<WebhookSecret> ParseList(string? values)
    {
        var secrets = new List<WebhookSecret>();
        foreach (var (part, index) in SplitList(values).Select((part, index) => (part, index)))
        {
            if (!TryParse(part, out var secret, out var error))
            {
                throw new FormatException($"signing secret #{index + 1}: {error}");
            }

            secrets.Add(secret);
        }

        return secrets;
    }

    internal static string[] SplitList(string? values) =>
        (values ?? string.Empty).Split([' ', ',', ';', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => Prefix + "***";
}
