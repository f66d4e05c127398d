using SimpleAi.Webhooks.Actions.Transformations;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Signing;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Actions;

/// <summary>
/// What is wrong with an action step's endpoint settings (<c>Actions__&lt;step key&gt;__…</c>), never showing a value.
/// Each problem names the setting as an app setting or environment variable spells it.
/// </summary>
public static class ActionEndpointValidation
{
    public static IEnumerable<string> Problems(IConfiguration configuration, string step)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (RenamedSection(configuration, step) is { } renamed)
        {
            yield return renamed;
        }

        var section = configuration.GetSection(ActionEndpointOptions.SectionOf(step));
        string Setting(string name) => ActionEndpointOptions.SettingName(step, name);

        if (SecretSetting.Problem(Setting("Url"), section["Url"]) is { } unresolvedUrl)
        {
            yield return $"{unresolvedUrl} The workflow runs '{step}'.";
        }
        else if (!Uri.TryCreate(section["Url"], UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            yield return $"{Setting("Url")} must be an absolute http(s) URL: the workflow runs '{step}'.";
        }

        if (SecretSetting.Problem(Setting("Secret"), section["Secret"]) is { } unresolvedSecret)
        {
            yield return $"{unresolvedSecret} The workflow runs '{step}'.";
        }
        else if (!WebhookSecret.TryParse(section["Secret"], out _, out var error))
        {
            yield return $"{Setting("Secret")}: {error} (a whsec_ secret, the workflow runs '{step}').";
        }

        if (section["Format"] is { } format && !OutboundFormats.All.Contains(format))
        {
            yield return $"{Setting("Format")} '{format}' is unknown (known: {string.Join(", ", OutboundFormats.All)}).";
        }

        if (section["TimeoutSeconds"] is { } timeout
            && (!int.TryParse(timeout, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > ActionEndpointOptions.MaxTimeoutSeconds))
        {
            yield return $"{Setting("TimeoutSeconds")} '{timeout}' must be a whole number of seconds from 1 to {ActionEndpointOptions.MaxTimeoutSeconds} (per try).";
        }

        if (section["RetrySchedule"] is { } schedule && !RetrySchedule.TryParse(schedule, out _, out var scheduleError))
        {
            yield return $"{Setting("RetrySchedule")}: {scheduleError}.";
        }

        if (section["MaxPerSecond"] is { } rate
            && (!double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var perSecond) || perSecond <= 0))
        {
            yield return $"{Setting("MaxPerSecond")} '{rate}' must be a number above 0 (deliveries a second).";
        }

        if (section["Transform"] is { Length: > 0 } transform
            && !Transformation.TryLoad(TransformationFiles.Resolve(configuration, transform), transform, out _, out var problem))
        {
            yield return $"{Setting("Transform")}: {problem}.";
        }
    }

    /// <summary>
    /// Settings of a hyphenated step under its name rather than its key (<c>Actions:crm-sync:Url</c>, which only a JSON file
    /// can carry): no longer read, so the step would run without them. Said at start-up rather than left to fail later.
    /// </summary>
    private static string? RenamedSection(IConfiguration configuration, string step)
    {
        var key = ActionEndpointOptions.KeyOf(step);
        if (key == step || !configuration.GetSection($"{ActionEndpointOptions.Section}:{step}").GetChildren().Any())
        {
            return null;
        }

        return $"Actions:{step} is not read: the settings of step '{step}' are {ActionEndpointOptions.SettingName(step, "Url")}, "
            + $"{ActionEndpointOptions.SettingName(step, "Secret")} and so on ('-' written '_': Azure app setting names and shell "
            + $"variables cannot hold '-'); in a JSON file, \"{ActionEndpointOptions.Section}\": {{ \"{key}\": {{ … }} }}.";
    }
}

/// <summary>An action step the app runs (in the workflow or from a keyword trigger) needs a usable endpoint (<c>Actions:&lt;step&gt;</c>).</summary>
public sealed class ActionEndpointCheck(IConfiguration configuration) : IWorkflowCheck
{
    public IEnumerable<string> Problems(WorkflowStepRegistration step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return typeof(ActionStep).IsAssignableFrom(step.StepType) ? ActionEndpointValidation.Problems(configuration, step.Name) : [];
    }
}
