using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Telemetry;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// Runs one step message. Each step of a run is driven by one message, named by the token the previous hop recorded
/// in the run before sending it; any other message for the step is a duplicate and is dropped without effect. The
/// driver claims the step (a conditional write naming its queue message, so a second copy of the same message
/// running at the same moment drops itself), runs the side effect, then records completion, the step's data and the
/// next step's token in one conditional write, then sends the next step. Coming back after that write (a crash lost
/// the send), it only re-sends the next step. Storage round trips per step: read, claim, write, send.
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
    /// <summary>Claims lost to another writer in a row before the try fails and the host retries it.</summary>
    private const int ClaimRounds = 3;

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

        var known = workflow.TryGetStepType(step, out var stepType);
        // The run the message carries (the version that queued it) saves the read when nothing changed since; only a
        // claim, conditional on that version, acts on it (see RunSnapshot).
        var carried = known && message.Step == step ? RunStore.FromMessage(message) : null;
        var run = carried ?? (known && message.Step == step ? await runs.FindAsync(message.RunId, cancellationToken) : null);
        using var activity = WebhookTelemetry.StartFrom($"step {step}", ActivityKind.Consumer, message.TraceParent, message.TraceState);
        activity?.SetTag("run_id", message.RunId).SetTag("call_id", message.CallId).SetTag("event_id", message.EventId).SetTag("step", step);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["run_id"] = message.RunId,
            ["call_id"] = message.CallId,
            ["event_id"] = message.EventId,
            ["step"] = step,
        });
        for (var round = 1; ; round++)
        {
            var decision = StepDecision.Decide(run, message, queue, step, known, delivery.MessageId, time.GetUtcNow());
            if (carried is not null && decision.Action != StepAction.Run)
            {
                // Decided from the run as it was when the message was sent: decide again from the run as it is.
                (carried, run, round) = (null, await runs.FindAsync(message.RunId, cancellationToken), round - 1);
                continue;
            }

            switch (decision.Action)
            {
                case StepAction.Poison:
                    await PoisonAsync(queue, messageText, decision.Reason, message, cancellationToken);
                    return;
                case StepAction.Drop:
                    LogDuplicate(step, message.RunId, decision.Reason);
                    return;
                case StepAction.Redrive:
                    await RedriveAsync(run!, step, message, cancellationToken);
                    return;
            }

            try
            {
                await ClaimAsync(run!, step, delivery.MessageId, cancellationToken);
                break;
            }
            catch (RunChangedException) when (round < ClaimRounds || carried is not null)
            {
                // Another writer (most likely a second copy of this message) changed the run first, or the run the
                // message carries is no longer the stored version: decide again from the run as read.
                round -= carried is null ? 0 : 1;
                (carried, run) = (null, await runs.FindAsync(message.RunId, cancellationToken));
            }
        }

        await ExecuteAsync(run!, step, stepType!, message, messageText, delivery, cancellationToken);
    }

    /// <summary>Marks the step running for this queue message and counts the try, in one conditional write.</summary>
    private async Task ClaimAsync(WorkflowRun run, string step, string queueMessageId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var state = run.Steps[step];
        run.Steps[step] = state with
        {
            Status = StepStatus.Running,
            Attempts = state.Attempts + 1,
            StartedAt = now,
            ClaimedBy = queueMessageId,
            ClaimedAt = now,
        };

        // A replayed step continues a run that was marked failed.
        run.Status = RunStatus.Running;
        await runs.SaveAsync(run, cancellationToken);
    }

    private async Task ExecuteAsync(
        WorkflowRun run, string step, Type stepType, StepMessage message, string messageText, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        var queue = QueueNames.Step(step);
        var state = run.Steps[step];
        var attempt = state.Attempts;
        var outcome = "failed";
        string? next;
        using var measure = new StepMeasure(step, time, () => outcome);
        try
        {
            var handler = (IWorkflowStep)services.GetRequiredService(stepType);
            var context = new StepContext(run.RunId, run.CallId, run.EventId, step, run.Data, attempt, run.IdempotencyKey(step));
            var result = await handler.ExecuteAsync(context, cancellationToken);
            next = Complete(run, step, state.StartedAt ?? time.GetUtcNow(), result);
        }
        catch (StepDeferredException e) when (attempt < e.MaxTries)
        {
            outcome = "deferred";
            await DeferAsync(run, step, attempt, e, message, cancellationToken);
            return;
        }
        catch (Exception e) when (e is PermanentStepFailureException or StepDeferredException)
        {
            // No retry can fix it: a refusal, an answer that is not a call, a call that never ended. The run stops
            // here, with the reason.
            await RecordFailureAsync(run, step, attempt, e, lastTry: true);
            await PoisonAsync(queue, messageText, $"step '{step}' failed for good: {e.Message}", message, cancellationToken);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RecordFailureAsync(run, step, attempt, e, delivery.DequeueCount >= _options.MaxDequeueCount);
            throw;
        }

        await runs.SaveAsync(run, cancellationToken);
        outcome = "completed";
        LogCompleted(step, run.RunId, next ?? "(end of run)");
        if (next is not null)
        {
            var (traceParent, traceState) = WebhookTelemetry.ContextToSend(message.TraceParent, message.TraceState);
            await steps.SendAsync(run, next, traceParent, traceState, cancellationToken);
        }
    }

    /// <summary>
    /// Counts the try (or gives it back, for a wait) and records it, then queues the same message again (same
    /// token), invisible for the step's delay.
    /// </summary>
    private async Task DeferAsync(WorkflowRun run, string step, int attempt, StepDeferredException deferral, StepMessage message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var state = run.Steps[step];
        run.Steps[step] = state with
        {
            Status = StepStatus.Queued,
            Attempts = deferral.SpendsTry ? attempt : attempt - 1,
            FinishedAt = now,
            Error = StepState.Bounded(deferral.Message),
            ClaimedBy = null,
            ClaimedAt = null,
            Tries = deferral.Recorded ? StepTry.Append(state.Tries, new StepTry(attempt, now, deferral.Message, now + deferral.Delay)) : state.Tries,
        };
        await runs.SaveAsync(run, cancellationToken);
        LogDeferred(step, run.RunId, attempt, deferral.Delay, deferral.Message);
        var (traceParent, traceState) = WebhookTelemetry.ContextToSend(message.TraceParent, message.TraceState);
        await steps.SendAsync(run, step, traceParent, traceState, cancellationToken, deferral.Delay);
    }

    /// <summary>Records the failed try (and, on the host's last try, fails the run); the host retries or poisons.</summary>
    private async Task RecordFailureAsync(WorkflowRun run, string step, int attempt, Exception error, bool lastTry)
    {
        var now = time.GetUtcNow();
        var state = run.Steps[step];
        run.Steps[step] = state with
        {
            Status = StepStatus.Failed,
            Attempts = attempt,
            FinishedAt = now,
            Error = StepState.Bounded($"{error.GetType().Name}: {error.Message}"),
            ClaimedBy = null,
            ClaimedAt = null,
            Tries = StepTry.Append(state.Tries, new StepTry(attempt, now, error.Message)),
        };
        if (lastTry)
        {
            WebhookTelemetry.RunFailing(run, step, "step_failed");
            run.Status = RunStatus.Failed;
        }

        LogStepFailed(error, step, run.RunId, attempt, lastTry);
        try
        {
            await runs.SaveAsync(run, CancellationToken.None);
        }
        catch (Exception e) when (e is RunChangedException or Azure.RequestFailedException or AggregateException)
        {
            // The original error is what the host must see; the next try records again. (Storage that cannot be
            // reached at all surfaces from the SDK's retries as an AggregateException.) A run left claimed by this
            // message is taken over by its next try; a run whose message the host poisons is failed by the sweep.
            LogFailureNotRecorded(e, step, run.RunId);
        }
    }

    /// <summary>
    /// Records completion and the step's data, skips what does not apply, and queues the next step's token. A later
    /// step whose condition cannot be evaluated on the data fails the run at that step (this step's work stands).
    /// </summary>
    private string? Complete(WorkflowRun run, string step, DateTimeOffset startedAt, StepResult result)
    {
        foreach (var (key, value) in result.Data ?? new Dictionary<string, string>())
        {
            run.Data[key] = value;
        }

        var now = time.GetUtcNow();
        var state = run.Steps[step];
        run.Steps[step] = state with
        {
            Status = result.SkippedBecause is null ? StepStatus.Completed : StepStatus.Skipped,
            StartedAt = startedAt,
            FinishedAt = now,
            Error = result.SkippedBecause,
            ClaimedBy = null,
            ClaimedAt = null,
            Tries = state.Tries is null ? null : StepTry.Append(state.Tries, new StepTry(state.Attempts, now, result.SkippedBecause ?? "completed")),
        };
        string? next;
        IReadOnlyList<string> skipped;
        try
        {
            (next, skipped) = run.IsSingleStep ? (null, []) : workflow.After(step, run.Data);
        }
        catch (StepConditionException e)
        {
            FailAtCondition(run, e, now);
            return null;
        }

        foreach (var name in skipped)
        {
            run.Steps[name] = new StepState(StepStatus.Skipped, FinishedAt: now);
        }

        if (next is null)
        {
            run.Status = RunStatus.Completed;
        }
        else
        {
            run.Steps[next] = StepState.Queue();
        }

        return next;
    }

    /// <summary>The run stops at the step whose condition failed; the steps before it whose conditions were false are skipped.</summary>
    private void FailAtCondition(WorkflowRun run, StepConditionException error, DateTimeOffset now)
    {
        foreach (var name in error.Skipped)
        {
            run.Steps[name] = new StepState(StepStatus.Skipped, FinishedAt: now);
        }

        run.Steps[error.Step] = new StepState(StepStatus.Failed, FinishedAt: now, Error: StepState.Bounded(error.Message));
        WebhookTelemetry.RunFailing(run, error.Step, "condition");
        run.Status = RunStatus.Failed;
        LogConditionFailed(error, error.Step, run.RunId);
    }

    /// <summary>
    /// The driver of a completed step is back: the send of the next step may have been lost in a crash, so send it
    /// again (same token) while the run shows the next step still only queued.
    /// </summary>
    private async Task RedriveAsync(WorkflowRun run, string step, StepMessage message, CancellationToken cancellationToken)
    {
        string? next;
        try
        {
            (next, _) = run.IsSingleStep ? (null, []) : workflow.After(step, run.Data);
        }
        catch (StepConditionException)
        {
            // The run stopped at that condition when this step completed: nothing comes next.
            next = null;
        }

        if (next is null || run.Steps.GetValueOrDefault(next)?.Status != StepStatus.Queued)
        {
            LogDuplicate(step, run.RunId, "already completed and its next step under way");
            return;
        }

        LogRedrive(step, run.RunId, next);
        var (traceParent, traceState) = WebhookTelemetry.ContextToSend(message.TraceParent, message.TraceState);
        await steps.SendAsync(run, next, traceParent, traceState, cancellationToken);
    }

    private async Task PoisonAsync(string queue, string text, string reason, StepMessage? message, CancellationToken cancellationToken)
    {
        LogPoisoned(queue, reason, message?.RunId, message?.EventId);
        await poison.SendAsync(queue, text, reason, cancellationToken);
        WebhookTelemetry.Poisoned(queue, PoisonOrigin.App);
    }

    [LoggerMessage(1, LogLevel.Information, "Step {Step} of run {RunId} completed; next {Next}")]
    private partial void LogCompleted(string step, string runId, string next);

    [LoggerMessage(2, LogLevel.Warning, "Step {Step} of run {RunId} failed on try {Attempt} (last try: {LastTry})")]
    private partial void LogStepFailed(Exception exception, string step, string runId, int attempt, bool lastTry);

    [LoggerMessage(3, LogLevel.Warning, "Could not record the failure of step {Step} of run {RunId}")]
    private partial void LogFailureNotRecorded(Exception exception, string step, string runId);

    [LoggerMessage(4, LogLevel.Information, "Step {Step} of run {RunId}: duplicate message dropped ({Why})")]
    private partial void LogDuplicate(string step, string runId, string why);

    [LoggerMessage(5, LogLevel.Information, "Step {Step} of run {RunId} was already completed; re-sent next step {Next}")]
    private partial void LogRedrive(string step, string runId, string next);

    [LoggerMessage(7, LogLevel.Information, "Step {Step} of run {RunId} deferred after try {Attempt} for {Delay}: {Reason}")]
    private partial void LogDeferred(string step, string runId, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(6, LogLevel.Error, "Moved a message from {Queue} to its poison queue: {Reason} (run {RunId}, event {EventId})")]
    private partial void LogPoisoned(string queue, string reason, string? runId, string? eventId);

    [LoggerMessage(8, LogLevel.Error, "Run {RunId} stopped at step {Step}: its condition could not be evaluated")]
    private partial void LogConditionFailed(Exception exception, string step, string runId);
}
