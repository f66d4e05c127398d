namespace SimpleAi.Webhooks.PreCall;

/// <summary>
/// What the rules of one computed parameter came to: <see cref="Fired"/> (by the rule at <see cref="Rule"/>),
/// <see cref="NotFired"/> (every rule's conditions evaluated, none held), or <see cref="NotEvaluated"/> (a field a
/// rule reads was missing: the parameter is left out, <see cref="Reason"/> names the field, never a value).
/// </summary>
public sealed record RuleOutcome(string Parameter, string Outcome, int? Rule = null, string? Reason = null)
{
    public const string Fired = "fired";

    public const string NotFired = "not_fired";

    public const string NotEvaluated = "not_evaluated";
}
