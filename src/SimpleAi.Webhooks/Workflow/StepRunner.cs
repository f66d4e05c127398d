using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// Runs one step message: claim the step in the run (a conditional write), do its side effect, record completion
/// with the step's data (a conditional write), queue the next step. A redelivered message whose step is already
/// complete only re-drives the next hop. Storage round trips per step: read run, claim, complete, send next.
/// </summary>
public sealed partial class StepRunner(
    WorkflowDefinition workflow,
    RunStore runs,
    StepQueue steps,
    PoisonQueue poison,
    IServiceProvider services,
    IOptions<WorkflowOptions> options,
    TimeProvider time,
    ILogger<StepRunner> logger)
{
    private readonly WorkflowOptions _options = options.Value;

    /// <param name="step">The step whose queue the message came from.</param>
    public async Task RunAsync(string step, string messageText, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var queue = QueueNames.Step(step);
        if (!StepMessage.TryDecode(messageText, out var message, out var error))
        {
            await PoisonAsync(queue, messageText, error, null, cancellationToken);
            return;
        }

        if (message.Step != step || !workflow.Contains(step))
        {
            await PoisonAsync(queue, messageText, $"unknown step '{message.Step}' on queue {queue}", message, cancellationToken);
            return;
        }

        var run = await runs.FindAsync(message.RunId, cancellationToken);
        if (run is null)
        {
            await PoisonAsync(queue, messageText, $"unknown run '{message.RunId}'", message, cancellationToken);
            return;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["run_id"] = run.RunId,
            ["call_id"] = run.CallId,
            ["event_id"] = message.EventId,
            ["step"] = step,
        });
        if (run.Steps.TryGetValue(step, out var state) && state.Status == StepStatus.Completed)
        {
            await RedriveAsync(run, step, message, cancellationToken);
            return;
        }

        await ClaimAsync(run, step, state, delivery, cancellationToken);
        var result = await ExecuteAsync(run, step, delivery, cancellationToken);
        var next = Complete(run, step, result);
        await runs.SaveAsync(run, cancellationToken);
        LogCompleted(step, run.RunId, next ?? "(end of run)");
        if (next is not null)
        {
            await steps.SendAsync(run, next, message.TraceParent, message.TraceState, cancellationToken);
        }
    }

    /// <summary>Takes the step's lease with a conditional write; a live lease of another message means a duplicate.</summary>
    private async Task ClaimAsync(WorkflowRun run, string step, StepState? previous, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (previous is { Status: StepStatus.Running } && previous.LeaseUntil > now && previous.LeaseHolder != delivery.MessageId)
        {
            throw new StepBusyException($"Step {step} of run {run.RunId} is running under another message until {previous.LeaseUntil:O}.");
        }

        run.Steps[step] = new StepState(
            StepStatus.Running,
            (previous?.Attempts ?? 0) + 1,
            delivery.MessageId,
            now.AddSeconds(_options.StepLeaseSeconds),
            StartedAt: now);
        run.Status = RunStatus.Running;
        try
        {
            await runs.SaveAsync(run, cancellationToken);
        }
        catch (RunChangedException e)
        {
            throw new StepBusyException($"Step {step} of run {run.RunId} was claimed concurrently.", e);
        }
    }

    private async Task<StepResult> ExecuteAsync(WorkflowRun run, string step, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        var handler = (IWorkflowStep)services.GetRequiredService(workflow[step].StepType);
        var context = new StepContext(
            run.RunId, run.CallId, run.EventId, step, run.Data, run.Steps[step].Attempts, $"{run.CallId}:{step}");
        try
        {
            return await handler.ExecuteAsync(context, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RecordFailureAsync(run, step, e, delivery.DequeueCount >= _options.MaxDequeueCount);
            throw;
        }
    }

    /// <summary>Releases the lease so the host's retry can claim again; on the last try, fails the run.</summary>
    private async Task RecordFailureAsync(WorkflowRun run, string step, Exception error, bool lastTry)
    {
        run.Steps[step] = run.Steps[step] with
        {
            Status = StepStatus.Failed,
            LeaseHolder = null,
            LeaseUntil = null,
            FinishedAt = time.GetUtcNow(),
            Error = $"{error.GetType().Name}: {error.Message}",
        };
        if (lastTry)
        {
            run.Status = RunStatus.Failed;
        }

        LogStepFailed(error, step, run.RunId, run.Steps[step].Attempts, lastTry);
        try
        {
            await runs.SaveAsync(run, CancellationToken.None);
        }
        catch (Exception e) when (e is RunChangedException or Azure.RequestFailedException)
        {
            // The retry will find the lease expired or ours; the original error is what the host must see.
            LogFailureNotRecorded(e, step, run.RunId);
        }
    }

    /// <summary>Records completion and the step's data; returns the next step, marking the ones skipped on the way.</summary>
    private string? Complete(WorkflowRun run, string step, StepResult result)
    {
        foreach (var (key, value) in result.Data ?? new Dictionary<string, string>())
        {
            run.Data[key] = value;
        }

        var now = time.GetUtcNow();
        run.Steps[step] = run.Steps[step] with
        {
            Status = StepStatus.Completed,
            LeaseHolder = null,
            LeaseUntil = null,
            FinishedAt = now,
            Error = null,
        };
        var (next, skipped) = workflow.After(step, run.Data);
        foreach (var name in skipped)
        {
            run.Steps[name] = new StepState(StepStatus.Skipped, 0, FinishedAt: now);
        }

        if (next is null)
        {
            run.Status = RunStatus.Completed;
        }

        return next;
    }

    /// <summary>
    /// The step is done: its completion may have been written just before a crash that lost the next send, so send
    /// the next step again unless the run shows it was taken.
    /// </summary>
    private async Task RedriveAsync(WorkflowRun run, string step, StepMessage message, CancellationToken cancellationToken)
    {
        var (next, _) = workflow.After(step, run.Data);
        if (next is null || run.Steps.ContainsKey(next))
        {
            LogDuplicate(step, run.RunId);
            return;
        }

        LogRedrive(step, run.RunId, next);
        await steps.SendAsync(run, next, message.TraceParent, message.TraceState, cancellationToken);
    }

    private async Task PoisonAsync(string queue, string text, string reason, StepMessage? message, CancellationToken cancellationToken)
    {
        LogPoisoned(queue, reason, message?.RunId, message?.EventId);
        await poison.SendAsync(queue, text, reason, cancellationToken);
    }

    [LoggerMessage(1, LogLevel.Information, "Step {Step} of run {RunId} completed; next {Next}")]
    private partial void LogCompleted(string step, string runId, string next);

    [LoggerMessage(2, LogLevel.Warning, "Step {Step} of run {RunId} failed on attempt {Attempt} (last try: {LastTry})")]
    private partial void LogStepFailed(Exception exception, string step, string runId, int attempt, bool lastTry);

    [LoggerMessage(3, LogLevel.Warning, "Could not record the failure of step {Step} of run {RunId}")]
    private partial void LogFailureNotRecorded(Exception exception, string step, string runId);

    [LoggerMessage(4, LogLevel.Information, "Step {Step} of run {RunId} was already completed; duplicate message dropped")]
    private partial void LogDuplicate(string step, string runId);

    [LoggerMessage(5, LogLevel.Information, "Step {Step} of run {RunId} was already completed; re-sent next step {Next}")]
    private partial void LogRedrive(string step, string runId, string next);

    [LoggerMessage(6, LogLevel.Error, "Moved a message from {Queue} to its poison queue: {Reason} (run {RunId}, event {EventId})")]
    private partial void LogPoisoned(string queue, string reason, string? runId, string? eventId);
}
