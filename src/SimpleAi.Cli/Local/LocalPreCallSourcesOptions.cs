using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Cli.Local;

/// <summary>What <see cref="LocalPreCallSources"/> verifies and where it listens.</summary>
public sealed record LocalPreCallSourcesOptions
{
    /// <summary>The default address of <c>simpleai-webhooks fake-sources</c>, the one local.settings.sample.json's sources name.</summary>
    public static readonly Uri DefaultUrl = new("http://127.0.0.1:5082");

    /// <summary>The secret of local.settings.sample.json's sources (<c>PreCall__Sources__&lt;n&gt;__Secret</c>).</summary>
    public const string SampleSecret = "whsec_cHJlY2FsbC1zb3VyY2VzLXNhbXBsZS1zZWNyZXQ=";

    /// <summary>Scheme, host and port to listen on (port 0: a free one).</summary>
    public Uri Url { get; init; } = DefaultUrl;

    /// <summary>The secret every request's signature is checked with; a request signed otherwise is answered 401.</summary>
    public WebhookSecret Secret { get; init; } = WebhookSecret.Parse(SampleSecret);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Called once per request, after it was answered: the path, the status and a note (never the number).</summary>
    public Action<string, int, string>? OnRequest { get; init; }
}
