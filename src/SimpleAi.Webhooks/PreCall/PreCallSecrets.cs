using System.Collections.Concurrent;
using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Webhooks.PreCall;

/// <summary>
/// The pre-call settings that are secrets, when they still hold an unresolved Key Vault reference or the sample's
/// placeholder (<see cref="SecretSetting"/>), are treated as missing: no token (every call gets 401), no enrichment, a source not asked.
/// The pre-call hook is optional, so this never stops the app (ingest keeps running); instead one line per setting (a warning for the sample's placeholder, an error for an unresolved reference),
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
            var token = options.BearerToken;
            options.BearerToken = string.Empty;
            Report(BearerTokenSetting, token, tokenReason, "every pre-call request is refused with 401");
        }

        if (SecretSetting.Reason(options.EnrichmentUrl?.OriginalString) is { } urlReason)
        {
            var url = options.EnrichmentUrl?.OriginalString;
            options.EnrichmentUrl = null;
            Report(EnrichmentUrlSetting, url, urlReason, "the lookup runs without enrichment");
        }

        for (var i = 0; i < options.Sources.Count; i++)
        {
            var source = options.Sources[i];
            foreach (var (setting, value) in (ReadOnlySpan<(string, string?)>)[("Url", source.Url?.OriginalString), ("Secret", source.Secret)])
            {
                if (SecretSetting.Reason(value) is { } reason)
                {
                    source.Unavailable = true;
                    Report(PreCallSourceOptions.SettingName(i, setting), value, reason, $"the source {source.Name} is not asked");
                }
            }
        }
    }

    /// <summary>
    /// A sample placeholder is what a first local run has (a warning: nothing is broken that the user set up); an
    /// unresolved Key Vault reference means a deployed app lost its secret (an error).
    /// </summary>
    private void Report(string setting, string? value, string reason, string consequence)
    {
        if (_reported.TryAdd(setting, true))
        {
            LogTreatedAsMissing(SecretSetting.IsPlaceholder(value) ? LogLevel.Warning : LogLevel.Error, setting, reason, consequence);
        }
    }

    [LoggerMessage(EventId = 10, Message = "{Setting} {Reason}; it is treated as missing: {Consequence}")]
    private partial void LogTreatedAsMissing(LogLevel level, string setting, string reason, string consequence);
}
