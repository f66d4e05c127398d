using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>Settings of the step runner (section <c>Workflow</c>).</summary>
public sealed class WorkflowOptions
{
    public const string Section = "Workflow";

    /// <summary>
    /// The app setting that says when the <c>PoisonSweep</c> function looks for messages the host poisoned by itself:
    /// an NCRONTAB expression with seconds, <c>*/30 * * * * *</c> in the sample settings and the Bicep (so a run whose
    /// message the host poisons is failed within a minute). The timer trigger reads it as a <c>%…%</c> expression, so
    /// it must be set.
    /// </summary>
    public const string PoisonSweepScheduleSetting = "Workflow:PoisonSweepSchedule";

    /// <summary>
    /// The post-call workflow in order, each step with the conditions under which it runs; from app settings or
    /// the app's <c>workflow.json</c>. Empty: the default workflow a feature gives (<see cref="DefaultWorkflow"/>;
    /// the post-call journey's is to fetch the call and do nothing more).
    /// </summary>
    public List<StepRule> Steps { get; set; } = [];
}
