using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Webhooks.Calls;

/// <summary>
/// Forwarding of <c>call.started</c> is on when <c>CallStarted__Url</c> is set: then the URL must be an absolute http(s)
/// URL and the secret a <c>whsec_</c> secret, neither an unresolved Key Vault reference nor the sample's placeholder,
/// or the app does not start (as with an action step the workflow runs). Messages never show a value.
/// </summary>
public sealed class CallStartedOptionsValidator : IValidateOptions<CallStartedOptions>
{
    public ValidateOptionsResult Validate(string? name, CallStartedOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Url is null)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (SecretSetting.Problem("CallStarted__Url", options.Url.OriginalString) is { } unresolvedUrl)
        {
            failures.Add(unresolvedUrl);
        }
        else if (!options.Url.IsAbsoluteUri || options.Url.Scheme is not ("https" or "http"))
        {
            failures.Add("CallStarted__Url must be an absolute http(s) URL (or empty: call.started is then not forwarded).");
        }

        if (SecretSetting.Problem("CallStarted__Secret", options.Secret) is { } unresolvedSecret)
        {
            failures.Add(unresolvedSecret);
        }
        else if (!WebhookSecret.TryParse(options.Secret, out _, out var error))
        {
            failures.Add($"CallStarted__Secret: {error} (a whsec_ secret: call.started is forwarded).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
