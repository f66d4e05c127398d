using System.ComponentModel.DataAnnotations;
using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>Settings of the step runner (section <c>Workflow</c>).</summary>
public sealed class WorkflowOptions
{
    public const string Section = "Workflow";

    /// <summary>
    /// The delivery at which the host gives a failing message up to the poison queue: host.json's
    /// <c>extensions.queues.maxDequeueCount</c> (a test holds the two equal). On that try a failure also marks the run failed.
    /// </summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>
    /// Seconds before a failed try runs again on the Service Bus transport, where the app itself re-sends the message
    /// for later (<see cref="Queues.ServiceBusFailedTries"/>): host.json's <c>extensions.queues.visibilityTimeout</c>,
    /// which does the same on Storage Queues (a test holds the two equal).
    /// </summary>
    [Range(1, 3600)]
    public int RetryDelaySeconds { get; set; } = 30;

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
