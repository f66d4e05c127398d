using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Webhooks.Calls;

/// <summary>
/// Forwarding of <c>call.started</c> is on when <c>CallStarted__Url</c> is set: then the URL must be an absolute http(s)
/// URL and the secret a <c>whsec_</c> secret, neither an unresolved Key Vault reference nor the sample's placeholder,
/// or the app does not start (as with an action step the workflow runs). Messages never show a value.
/// </summary>
public sealed class CallStartedOptionsValidator : ProblemsValidator<CallStartedOptions>
{
    protected override IEnumerable<string> Problems(CallStartedOptions options)
    {
        if (options.Url is null)
        {
            yield break;
        }

        if (SecretSetting.Problem("CallStarted__Url", options.Url.OriginalString) is { } unresolvedUrl)
        {
            yield return unresolvedUrl;
        }
        else if (!options.Url.IsAbsoluteUri || options.Url.Scheme is not ("https" or "http"))
        {
            yield return "CallStarted__Url must be an absolute http(s) URL (or empty: call.started is then not forwarded).";
        }

        if (SecretSetting.Problem("CallStarted__Secret", options.Secret) is { } unresolvedSecret)
        {
            yield return unresolvedSecret;
        }
        else if (!WebhookSecret.TryParse(options.Secret, out _, out var error))
        {
            yield return $"CallStarted__Secret: {error} (a whsec_ secret: call.started is forwarded).";
        }
    }
}
