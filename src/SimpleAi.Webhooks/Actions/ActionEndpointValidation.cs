using SimpleAi.Webhooks.Actions.Transformations;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Webhooks.Actions;

/// <summary>What is wrong with an action step's endpoint settings (<c>Actions:&lt;step&gt;</c>), never showing a value.</summary>
public static class ActionEndpointValidation
{
    public static IEnumerable<string> Problems(IConfiguration configuration, string step)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection($"{ActionEndpointOptions.Section}:{step}");
        if (SecretSetting.Problem($"{ActionEndpointOptions.Section}__{step}__Url", section["Url"]) is { } unresolvedUrl)
        {
            yield return $"{unresolvedUrl} The workflow runs '{step}'.";
        }
        else if (!Uri.TryCreate(section["Url"], UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            yield return $"Actions:{step}:Url must be an absolute http(s) URL: the workflow runs '{step}'.";
        }

        if (SecretSetting.Problem($"{ActionEndpointOptions.Section}__{step}__Secret", section["Secret"]) is { } unresolvedSecret)
        {
            yield return $"{unresolvedSecret} The workflow runs '{step}'.";
        }
        else if (!WebhookSecret.TryParse(section["Secret"], out _, out var error))
        {
            yield return $"Actions:{step}:Secret: {error} (a whsec_ secret, the workflow runs '{step}').";
        }

        if (section["Format"] is { } format && !OutboundFormats.All.Contains(format))
        {
            yield return $"Actions:{step}:Format '{format}' is unknown (known: {string.Join(", ", OutboundFormats.All)}).";
        }

        if (section["TimeoutSeconds"] is { } timeout
            && (!int.TryParse(timeout, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > ActionEndpointOptions.MaxTimeoutSeconds))
        {
            yield return $"Actions:{step}:TimeoutSeconds '{timeout}' must be a whole number of seconds from 1 to {ActionEndpointOptions.MaxTimeoutSeconds} (per try).";
        }

        if (section["RetrySchedule"] is { } schedule && !RetrySchedule.TryParse(schedule, out _, out var scheduleError))
        {
            yield return $"Actions:{step}:RetrySchedule: {scheduleError}.";
        }

        if (section["MaxPerSecond"] is { } rate
            && (!double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var perSecond) || perSecond <= 0))
        {
            yield return $"Actions:{step}:MaxPerSecond '{rate}' must be a number above 0 (deliveries a second).";
        }

        if (section["Transform"] is { Length: > 0 } transform
            && !Transformation.TryLoad(TransformationFiles.Resolve(configuration, transform), transform, out _, out var problem))
        {
            yield return $"Actions:{step}:Transform: {problem}.";
        }
    }
}
