using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.PreCall;

/// <summary>
/// A computed parameter (<c>PreCall__Rules__&lt;n&gt;__…</c>): <see cref="Parameter"/> = <see cref="Value"/> when every
/// condition of <see cref="When"/> holds (the post-call workflow's rule language). Several rules may set one
/// parameter: they are alternatives, and the first that holds, in order, sets it (<c>or</c>).
/// </summary>
public sealed class PreCallRule
{
    public string Parameter { get; set; } = string.Empty;

    public string? Value { get; set; }

    public List<RuleCondition> When { get; set; } = [];

    /// <summary>How the rule is named in messages: <c>PreCall__Rules__0 (priority)</c>.</summary>
    public static string Label(int index, string parameter) => $"{PreCallOptions.Section}__Rules__{index} ({parameter})";
}
