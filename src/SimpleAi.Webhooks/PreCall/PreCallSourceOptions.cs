using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Webhooks.PreCall;

/// <summary>
/// One HTTP source the pre-call journey asks (<c>PreCall__Sources__&lt;n&gt;__…</c>): a signed POST of the caller's
/// number (and, by default, the call and the agent) to <see cref="Url"/>, whose JSON object answer is merged under
/// <see cref="Name"/> (<c>crm_plan</c> for the field <c>plan</c> of the source <c>crm</c>), or mapped to the
/// parameters of <see cref="Parameters"/>. Rules read its fields as <c>crm:plan</c>.
/// </summary>
public sealed class PreCallSourceOptions
{
    /// <summary>What the request carries: the number alone, or the number with the call and the agent as Simple AI sent them.</summary>
    public static readonly IReadOnlyList<string> SendChoices = [SendNumber, SendCall];

    public const string SendNumber = "number";

    public const string SendCall = "call";

    private WebhookSecret? _signingSecret;

    /// <summary>The source's name: lower-case letters, digits and <c>_</c>; the prefix of its fields in rules and parameters.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The endpoint. Treated as a secret (a Key Vault reference in Azure): only its host is ever logged.</summary>
    public Uri? Url { get; set; }

    /// <summary>The <c>whsec_</c> secret the request is signed with (Standard Webhooks, as the action steps sign).</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>How long the source may take, inside <see cref="PreCallOptions.LookupBudgetMilliseconds"/>.</summary>
    public int TimeoutMilliseconds { get; set; } = 1000;

    /// <summary><c>call</c> (default): <c>{"phone","call","agent"}</c>; <c>number</c>: <c>{"phone"}</c> only.</summary>
    public string Send { get; set; } = SendCall;

    /// <summary>
    /// Optional: parameter name → field of the answer (<c>PreCall__Sources__1__Parameters__open_tickets=open</c>). When
    /// set, only these fields are answered, under these names; rules still read every field.
    /// </summary>
    public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Set when <see cref="Url"/> or <see cref="Secret"/> holds an unresolved reference: the source is not asked.</summary>
    internal bool Unavailable { get; set; }

    /// <summary><see cref="Secret"/> parsed once (checked at start-up).</summary>
    internal WebhookSecret SigningSecret => _signingSecret ??= WebhookSecret.Parse(Secret);

    /// <summary>A setting of the source at <paramref name="index"/> as an app setting names it.</summary>
    public static string SettingName(int index, string setting) => $"{PreCallOptions.Section}__Sources__{index}__{setting}";
}
