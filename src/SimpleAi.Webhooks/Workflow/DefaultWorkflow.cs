using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>The steps the workflow runs when its configuration names none (a feature contributes it; the last one registered wins).</summary>
public sealed record DefaultWorkflow(IReadOnlyList<StepRule> Steps);
