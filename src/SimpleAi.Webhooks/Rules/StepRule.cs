namespace SimpleAi.Webhooks.Rules;

/// <summary>One step of the configured workflow and the conditions (all must hold) under which it runs.</summary>
public sealed class StepRule
{
    public string Step { get; set; } = string.Empty;

    public List<RuleCondition> When { get; set; } = [];
}
