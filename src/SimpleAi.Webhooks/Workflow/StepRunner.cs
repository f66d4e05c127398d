using System.Diagnostics;
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
/// <para>
/// The path, in this file: <see cref="RunAsync"/> decodes the message, <see cref="ClaimAsync"/> loads the run
/// (<see cref="RunStore.LoadAsync"/>) and claims the step as <see cref="StepDecision"/> decides, <see cref="ExecuteAsync"/>
/// runs the side effect and works out what follows (<see cref="StepTransition.After"/>), and <see cref="RunAsync"/> then
/// does what that transition's kind says: save, send the next step (<see cref="StepQueue"/>), poison, or return the failed
/// try to the queue function, whose transport retries it.
/// </para>
/// </summary>
public sealed partial class StepRunner(
    WorkflowDefinition workflow,
    RunStore runs,
    StepQueue steps,
    PoisonQueue poison,
    IGoneRuns goneRuns,
    IServiceProvider services,
    IOptions<HostRetryOptions> retries,
    TimeProvider time,
    ILogger<StepRunner> logger)
{
    private readonly int _maxDequeueCount = retries.Value.MaxDequeueCount;

    private readonly TimeSpan _visibilityTimeout = retries.Value.VisibilityTimeout;

    /// <param name="step">The step whose queue the message came from.</param>
    /// <returns>The error of a failed try the host or transport must retry; null when the message is done with.</returns>
    public async Task<Exception?> RunAsync(string step, string messageText, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (!StepMessage.TryDecode(messageText, out var message, out var error))
        {
            await PoisonAsync(QueueNames.Step(step), messageText, error, null, cancellationToken);
            return null;
        }

        using var activity = WebhookTelemetry.StartFrom($"step {step}", ActivityKind.Consumer, message.TraceParent, message.TraceState);
        activity?.SetTag("run_id", message.RunId).SetTag("call_id", message.CallId).SetTag("event_id", message.EventId).SetTag("step", step);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["run_id"] = message.RunId,
            ["call_id"] = message.CallId,
            ["event_id"] = message.EventId,
            ["step"] = step,
        });
        if (await ClaimAsync(step, message, messageText, delivery, cancellationToken) is not { } run)
        {
            return null;
        }

        var label = "failed";
        using var measure = new StepMeasure(step, time, () => label);
        var (outcome, transition) = await ExecuteAsync(run, step, delivery, cancellationToken);
        switch (transition.Kind)
        {
            case StepTransitionKind.Completed:
                await runs.SaveAsync(run, cancellationToken);
                label = "completed";
                foreach (var skip in transition.SkippedForFields)
                {
                    WebhookTelemetry.SkippedForField(skip.Step, skip.Miss!);
                    LogSkippedForField(skip.Step, run.RunId, skip.Miss!.Field, skip.Miss.Cause);
                }

                LogCompleted(step, run.RunId, transition.Send?.Step ?? "(end of run)");
                await SendAsync(run, transition.Send, message, cancellationToken);
                return null;
            case StepTransitionKind.Deferred:
                label = "deferred";
                await runs.SaveAsync(run, cancellationToken);
                LogDeferred(step, run.RunId, transition.Attempt, transition.Send!.Delay ?? TimeSpan.Zero, transition.Error!.Message);
                await SendAsync(run, transition.Send, message, cancellationToken);
                return null;
            case StepTransitionKind.FailedForGood:
                // No retry can fix it: the run records it, and the message goes to the poison queue now.
                await RecordFailureAsync(run, step, delivery, transition, outcome.Retry);
                await PoisonAsync(QueueNames.Step(step), messageText, transition.PoisonReason!, message, cancellationToken);
                return null;
            case StepTransitionKind.FailedTry:
                // The run records the try if it can; the host or transport tries the message again, or poisons it.
                await RecordFailureAsync(run, step, delivery, transition, outcome.Retry);
                return outcome.Error ?? transition.Error; // the step's own error, or (it succeeded) why what follows could not be worked out
            default:
                throw new UnreachableException($"A try of a step ends {transition.Kind}, which only a claim is.");
        }
    }

    /// <summary>
    /// Loads the run and takes the step for this message with a conditional write, deciding again when another writer
    /// got there first; null when the message does not run (a duplicate dropped, a poisoned message, a re-driven send).
    /// </summary>
    private async Task<WorkflowRun?> ClaimAsync(
        string step, StepMessage message, string messageText, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        var queue = QueueNames.Step(step);
        var known = workflow.TryGetStepType(step, out _);
        var ours = known && message.Step == step;
        var (run, carried) = ours ? await runs.LoadAsync(message, delivery, cancellationToken) : (null, false);
        for (var round = new ClaimRound(FromCarried: carried); ;)
        {
            var gone = run is null && ours
                ? await goneRuns.WhyGoneAsync(message.CallId, message.Run?.CreatedAt, cancellationToken)
                : null;
            var decision = StepDecision.Decide(run, message, queue, step, known, delivery.MessageId, time.GetUtcNow(), gone);
            if (round.MustReadAgain(decision))
            {
                // Decided from the run as it was when the message was sent: decide again from the run as it is.
                (round, run) = (new ClaimRound(FromCarried: false), await runs.FindAsync(message.RunId, cancellationToken));
                continue;
            }

            switch (decision.Action)
            {
                case StepAction.Poison:
                    // A message whose run is missing keeps its ids, not the run it carried (the call's data).
                    await PoisonAsync(queue, run is null && message.Run is not null ? (message with { Run = null }).Encode().ToString() : messageText, decision.Reason, message, cancellationToken);
                    return null;
                case StepAction.Drop:
                    LogDuplicate(step, message.RunId, decision.Reason);
                    return null;
                case StepAction.Redrive:
                    await RedriveAsync(run!, step, message, cancellationToken);
                    return null;
            }

            try
            {
                StepTransition.Claim(run!, step, delivery.MessageId, time.GetUtcNow()).ApplyTo(run!);
                await runs.SaveAsync(run!, cancellationToken);
                return run;
            }
            catch (RunChangedException) when (round.AfterLostClaim() is { } nextRound)
            {
                // Another writer (most likely a second copy of this message) changed the run first, or the run the
                // message carries is no longer the stored version: decide again from the run as read.
                (round, run) = (nextRound, await runs.FindAsync(message.RunId, cancellationToken));
            }
        }
    }

    /// <summary>Runs the step's side effect on the claimed run and works out what follows; the run holds the change, not yet saved.</summary>
    private async Task<(StepOutcome Outcome, StepTransition Transition)> ExecuteAsync(
        WorkflowRun run, string step, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        StepOutcome outcome;
        try
        {
            var handler = services.GetRequiredKeyedService<IWorkflowStep>(step);
            var context = new StepContext(run.RunId, run.CallId, run.EventId, step, run.Data, run.Steps[step].Attempts, run.IdempotencyKey(step));
            outcome = StepOutcome.Returned(await handler.ExecuteAsync(context, cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            outcome = StepOutcome.Threw(e, delivery.DequeueCount, _maxDequeueCount, _visibilityTimeout);
        }

        var transition = StepTransition.After(workflow, run, step, outcome, time.GetUtcNow(), Guid.NewGuid().ToString("N"));
        if (transition.Failing is { } failing)
        {
            WebhookTelemetry.RunFailing(failing.Step, failing.Cause, alreadyFailed: run.Status == RunStatus.Failed);
        }

        transition.ApplyTo(run);
        return (outcome, transition);
    }

    /// <summary>Logs a failed try and records it in the run, best effort: the try's error is what the host must see.</summary>
    private async Task RecordFailureAsync(WorkflowRun run, string step, QueueDelivery delivery, StepTransition transition, HostRetry? retry)
    {
        LogStepFailed(transition.Error!, step, run.RunId, delivery.DequeueCount, _maxDequeueCount,
            $"{transition.Error!.GetType().Name}: {transition.Error.Message}", Then(transition, retry), transition.LastTry);
        LoggedFailure.Mark(transition.Error!);
        try
        {
            await runs.SaveAsync(run, CancellationToken.None);
        }
        catch (Exception e) when (e is RunChangedException or Azure.RequestFailedException or AggregateException)
        {
            // The next try records again. (Storage that cannot be reached at all surfaces from the SDK's retries as an
            // AggregateException.) A run left claimed by this message is taken over by its next try; a run whose
            // message the host poisons is failed by the sweep.
            LogFailureNotRecorded(e, step, run.RunId);
        }
    }

    /// <summary>What follows a failed try, in words: the host's next try, or the run's end.</summary>
    private static string Then(StepTransition transition, HostRetry? retry) => transition switch
    {
        { Kind: StepTransitionKind.FailedForGood } => "no retry can fix it: the run has failed",
        { LastTry: true } => "that was the last try: the run has failed",
        _ when retry is not null => FormattableString.Invariant($"next try {retry.Next} of {retry.Of} in {retry.After:hh\\:mm\\:ss}"),
        _ => "the host tries it again",
    };

    /// <summary>
    /// The driver of a completed step is back: the send of the next step may have been lost in a crash, so send it
    /// again (same token) while the run shows the next step still only queued.
    /// </summary>
    private async Task RedriveAsync(WorkflowRun run, string step, StepMessage message, CancellationToken cancellationToken)
    {
        if (StepDecision.RedriveTarget(workflow, run, step) is not { } next)
        {
            LogDuplicate(step, run.RunId, "already completed and its next step under way");
            return;
        }

        LogRedrive(step, run.RunId, next);
        await SendAsync(run, new StepSend(next), message, cancellationToken);
    }

    private async Task SendAsync(WorkflowRun run, StepSend? send, StepMessage message, CancellationToken cancellationToken)
    {
        if (send is not null)
        {
            var (traceParent, traceState) = WebhookTelemetry.ContextToSend(message.TraceParent, message.TraceState);
            await steps.SendAsync(run, send.Step, traceParent, traceState, cancellationToken, send.Delay);
        }
    }

    private async Task PoisonAsync(string queue, string text, string reason, StepMessage? message, CancellationToken cancellationToken)
    {
        LogPoisoned(queue, reason, message?.RunId, message?.EventId);
        await poison.SendAsync(queue, text, reason, cancellationToken);
        WebhookTelemetry.Poisoned(queue, PoisonOrigin.App);
    }

    [LoggerMessage(1, LogLevel.Information, "Step {Step} of run {RunId} completed; next {Next}")]
    private partial void LogCompleted(string step, string runId, string next);

    /// <summary>
    /// One line per failed try: the host's try of tries, the error, and the next try or the end. The exception goes with
    /// it to telemetry (Application Insights puts the line in <c>exceptions</c>). <c>LastTry</c> is a dimension, not
    /// text: the workbook's runs-in-progress tile reads <c>customDimensions.LastTry</c>.
    /// </summary>
#pragma warning disable SYSLIB1015 // LastTry: a dimension the workbook reads, said in words by Then.
    [LoggerMessage(2, LogLevel.Warning, "Step {Step} of run {RunId} failed on try {Attempt} of {Tries}: {Error}; {Then}")]
    private partial void LogStepFailed(Exception exception, string step, string runId, long attempt, int tries, string error, string then, bool LastTry);
#pragma warning restore SYSLIB1015

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

    /// <summary>The field as the rule names it and why it could not be used: never its value (call data is personal data).</summary>
    [LoggerMessage(9, LogLevel.Information, "Step {Step} of run {RunId} skipped: its condition reads field {Field}, {Cause}")]
    private partial void LogSkippedForField(string step, string runId, string field, string cause);
}
