using System.Diagnostics;
using System.Runtime.ExceptionServices;
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
    IGoneRuns goneRuns,
    IServiceProvider services,
    IOptions<HostRetryOptions> retries,
    TimeProvider time,
    ILogger<StepRunner> logger)
{
    private readonly int _maxDequeueCount = retries.Value.MaxDequeueCount;

    private readonly TimeSpan _visibilityTimeout = retries.Value.VisibilityTimeout;

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

        var known = workflow.TryGetStepType(step, out _);
        // The run the message carries (the version that queued it) saves the read when nothing changed since; only a
        // claim, conditional on that version, acts on it (see RunSnapshot).
        // A message delivered again had a try before, whose claim changed the run since it was carried: read the run
        // rather than make a claim bound to fail (a 412 round trip per retry).
        var carried = known && message.Step == step && delivery.DequeueCount <= 1 ? RunStore.FromMessage(message) : null;
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
        for (var round = new ClaimRound(FromCarried: carried is not null); ;)
        {
            var gone = run is null && known && message.Step == step
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
                StepTransition.Claim(run!, step, delivery.MessageId, time.GetUtcNow()).ApplyTo(run!);
                await runs.SaveAsync(run!, cancellationToken);
                break;
            }
            catch (RunChangedException) when (round.AfterLostClaim() is { } nextRound)
            {
                // Another writer (most likely a second copy of this message) changed the run first, or the run the
                // message carries is no longer the stored version: decide again from the run as read.
                (round, run) = (nextRound, await runs.FindAsync(message.RunId, cancellationToken));
            }
        }

        await ExecuteAsync(run!, step, message, messageText, delivery, cancellationToken);
    }

    private async Task ExecuteAsync(
        WorkflowRun run, string step, StepMessage message, string messageText, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        var label = "failed";
        using var measure = new StepMeasure(step, time, () => label);
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
            WebhookTelemetry.RunFailing(run, failing.Step, failing.Cause);
        }

        transition.ApplyTo(run);
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
                return;
            case StepTransitionKind.Deferred:
                label = "deferred";
                await runs.SaveAsync(run, cancellationToken);
                LogDeferred(step, run.RunId, transition.Attempt, transition.Send!.Delay ?? TimeSpan.Zero, transition.Error!.Message);
                await SendAsync(run, transition.Send, message, cancellationToken);
                return;
        }

        // A failed try: the run records it if it can; the host retries the message or poisons it (or, for good, we do).
        LogStepFailed(transition.Error!, step, run.RunId, delivery.DequeueCount, _maxDequeueCount,
            $"{transition.Error!.GetType().Name}: {transition.Error.Message}", Then(transition, outcome.Retry), transition.LastTry);
        LoggedFailure.Mark(transition.Error!);
        await SaveFailureAsync(run, step);
        if (transition.PoisonReason is { } reason)
        {
            await PoisonAsync(QueueNames.Step(step), messageText, reason, message, cancellationToken);
            return;
        }

        // The step's own error, or (it succeeded) why what follows could not be worked out.
        ExceptionDispatchInfo.Throw(outcome.Error ?? transition.Error!);
    }

    /// <summary>What follows a failed try, in words: the host's next try, or the run's end.</summary>
    private static string Then(StepTransition transition, HostRetry? retry) => transition switch
    {
        { Kind: StepTransitionKind.FailedForGood } => "no retry can fix it: the run has failed",
        { LastTry: true } => "that was the last try: the run has failed",
        _ when retry is not null => FormattableString.Invariant($"next try {retry.Next} of {retry.Of} in {retry.After:hh\\:mm\\:ss}"),
        _ => "the host tries it again",
    };

    private async Task SaveFailureAsync(WorkflowRun run, string step)
    {
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
}
