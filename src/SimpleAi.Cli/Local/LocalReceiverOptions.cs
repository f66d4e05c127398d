using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Cli.Local;

/// <summary>Where <see cref="LocalReceiver"/> listens, the secrets it verifies with, and what it answers.</summary>
public sealed record LocalReceiverOptions
{
    /// <summary>The default address of <c>simpleai-webhooks listen</c>.</summary>
    public static readonly Uri DefaultUrl = new("http://127.0.0.1:5090");

    /// <summary>Scheme, host and port to listen on (port 0: a free one); every path is served.</summary>
    public Uri Url { get; init; } = DefaultUrl;

    /// <summary>The secret of every step without its own in <see cref="StepSecrets"/>.</summary>
    public WebhookSecret? Secret { get; init; }

    /// <summary>A step's own secret (<c>Actions__&lt;step&gt;__Secret</c>), by step name (<c>crm-sync</c>).</summary>
    public IReadOnlyDictionary<string, WebhookSecret> StepSecrets { get; init; } = new Dictionary<string, WebhookSecret>();

    /// <summary>The status answered to a delivery whose signature is valid (an invalid one gets 401).</summary>
    public int Status { get; init; } = 200;

    /// <summary>Allowed distance between <c>webhook-timestamp</c> and now, as the app allows by default.</summary>
    public TimeSpan Tolerance { get; init; } = TimeSpan.FromMinutes(5);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Called once per delivery, after it was answered (from the server's threads).</summary>
    public Action<ReceivedDelivery>? OnDelivery { get; init; }
}
