namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// One step of the post-call workflow: its side effect. Throw to fail (the host retries, then poisons). A step may
/// run more than once after a crash: carry <see cref="StepContext.IdempotencyKey"/> on every side effect.
/// </summary>
public interface IWorkflowStep
{
    Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken);
}
