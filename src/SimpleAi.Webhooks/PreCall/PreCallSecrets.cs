using System.Collections.Concurrent;
using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Webhooks.PreCall;

/// <summary>
/// The pre-call settings that are secrets, when they still hold an unresolved Key Vault reference or the sample's
/// placeholder (<see cref="SecretSetting"/>), are treated as missing: no token (every call gets 401), no enrichment.
/// The pre-call hook is optional, so this never stops the app (ingest keeps running); instead one warning line per setting,
/// naming it and never its value, tells the operator.
/// </summary>
public sealed partial class PreCallSecrets(ILogger<PreCallSecrets> logger) : IPostConfigureOptions<PreCallOptions>
{
    private const string BearerTokenSetting = "PreCall__BearerToken";
    private const string EnrichmentUrlSetting = "PreCall__EnrichmentUrl";

    /// <summary>Options are built once per options cache (IOptions, IOptionsMonitor): each setting is reported once.</summary>
    private readonly ConcurrentDictionary<string, bool> _reported = new(StringComparer.Ordinal);

    public void PostConfigure(string? name, PreCallOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (SecretSetting.Reason(options.BearerToken) is { } tokenReason)
        {
            options.BearerToken = string.Empty;
            Report(BearerTokenSetting, tokenReason, "every pre-call request is refused with 401");
        }

        if (SecretSetting.Reason(options.EnrichmentUrl?.OriginalString) is { } urlReason)
        {
            options.EnrichmentUrl = null;
            Report(EnrichmentUrlSetting, urlReason, "the lookup runs without enrichment");
        }
    }

    private void Report(string setting, string reason, string consequence)
    {
        if (_reported.TryAdd(setting, true))
        {
            LogTreatedAsMissing(setting, reason, consequence);
        }
    }

    [LoggerMessage(10, LogLevel.Warning, "{Setting} {Reason}; it is treated as missing: {Consequence}")]
    private partial void LogTreatedAsMissing(string setting, string reason, string consequence);
}
