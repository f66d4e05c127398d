using System.ComponentModel.DataAnnotations;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Webhooks.Calls;

/// <summary>Optional forwarding of <c>call.started</c> (section <c>CallStarted</c>), signed like the action steps.</summary>
public sealed class CallStartedOptions
{
    public const string Section = "CallStarted";

    private WebhookSecret? _signingSecret;

    public Uri? Url { get; set; }

    public string Secret { get; set; } = string.Empty;

    /// <summary><see cref="Secret"/> parsed, once per options instance (validated at start-up), not once per forward.</summary>
    internal WebhookSecret SigningSecret => _signingSecret ??= WebhookSecret.Parse(Secret);

    /// <summary>Time allowed for one forward, from 1 to 120 seconds (as an action's try: <see cref="SignedPoster.MaxTimeoutSeconds"/>).</summary>
    [Range(1, SignedPoster.MaxTimeoutSeconds)]
    public int TimeoutSeconds { get; set; } = 10;
}
