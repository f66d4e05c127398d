using SimpleAi.Webhooks.Actions.Transformations;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Webhooks.Actions;

/// <summary>
/// Where an action step posts: section <c>Actions:&lt;step key&gt;</c>, e.g. the app setting <c>Actions__crm_sync__Url</c>
/// for the step <c>crm-sync</c> (see <see cref="KeyOf"/>).
/// </summary>
public sealed class ActionEndpointOptions
{
    public const string Section = "Actions";

    /// <summary>
    /// The key of a step's settings: its name with <c>-</c> written <c>_</c>. Azure refuses app setting names outside
    /// letters, digits, <c>.</c> and <c>_</c>, and <c>sh</c> drops environment variables whose names are not identifiers,
    /// so <c>Actions__crm-sync__Url</c> could be set nowhere but a JSON file. Step names hold no <c>_</c>
    /// (<see cref="Workflow.WorkflowDefinition"/>), so each step has its own key.
    /// </summary>
    public static string KeyOf(string step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Replace('-', '_');
    }

    /// <summary>The configuration section of a step's settings (<c>Actions:crm_sync</c>).</summary>
    public static string SectionOf(string step) => $"{Section}:{KeyOf(step)}";

    /// <summary>One setting of a step as an app setting or environment variable names it: <c>Actions__crm_sync__Url</c>.</summary>
    public static string SettingName(string step, string setting) => $"{Section}__{KeyOf(step)}__{setting}";

    private Actions.RetrySchedule? _schedule;

    private WebhookSecret? _signingSecret;

    /// <summary>The endpoint. Treated as a secret (Slack and Teams URLs are): only its host is ever logged.</summary>
    public Uri? Url { get; set; }

    /// <summary>The step's own <c>whsec_</c> signing secret; the receiver verifies with it.</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary><see cref="Secret"/> parsed, once per options instance (validated at start-up), not once per delivery.</summary>
    internal WebhookSecret SigningSecret => _signingSecret ??= WebhookSecret.Parse(Secret);

    /// <summary><c>document</c> (default), or for notifications <c>slack</c> or <c>teams</c> incoming-webhook messages.</summary>
    public string Format { get; set; } = OutboundFormats.Document;

    /// <summary>Put the transcript lines into the document.</summary>
    public bool IncludeTranscript { get; set; }

    /// <summary>The most <see cref="TimeoutSeconds"/> may be (checked at start-up by <see cref="ActionEndpointValidation"/>).</summary>
    public const int MaxTimeoutSeconds = SignedPoster.MaxTimeoutSeconds;

    /// <summary>Time allowed for one try, from 1 to <see cref="MaxTimeoutSeconds"/>.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>The waits between tries after a retryable failure (see <see cref="Actions.RetrySchedule"/>).</summary>
    public string RetrySchedule { get; set; } = Actions.RetrySchedule.Default;

    /// <summary><see cref="RetrySchedule"/> parsed, once per options instance (validated at start-up).</summary>
    internal Actions.RetrySchedule Schedule => _schedule ??= Actions.RetrySchedule.Parse(RetrySchedule);

    /// <summary>The most deliveries a second to this endpoint, across every instance; unset: no limit.</summary>
    public double? MaxPerSecond { get; set; }

    /// <summary>A JavaScript transformation (<c>handler(webhook)</c>), relative to workflow.json: see the README.</summary>
    public string? Transform { get; set; }

    /// <summary><see cref="Transform"/> compiled (by <see cref="TransformationLoader"/>).</summary>
    internal Transformation? Transformation { get; set; }
}
