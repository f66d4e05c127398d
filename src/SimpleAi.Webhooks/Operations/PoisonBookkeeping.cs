using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Storage;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// Records what a poisoned message leaves undone, decided by its work, never by whether the app saw its last try
/// (the host poisons a message whose last try crashed or timed out without invoking the function again): a step
/// message fails its step and its run, with the reason; an <c>events</c> message whose run never got its first step
/// going fails that run. A replay then finishes the work (see <see cref="StepDecision"/>, <see cref="WorkflowStarter"/>).
/// </summary>
public sealed partial class PoisonBookkeeping(RunStore runs, TimeProvider time, ILogger<PoisonBookkeeping> logger)
{
    /// <summary>Why the host's own copy of a message is in its poison queue (the copy says nothing itself).</summary>
    public const string HostGaveUp = "the host gave up on the message after its last try (failed, crashed or timed out)";

    private const int Rounds = 3;

    /// <param name="queue">The queue the message was poisoned from (<c>events</c>, <c>step-…</c>).</param>
    public async Task RecordAsync(string queue, string messageText, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (queue.StartsWith(QueueNames.Step(string.Empty), StringComparison.Ordinal))
        {
            if (StepMessage.TryDecode(messageText, out var step, out _))
            {
                await FailAsync(step.RunId, run => FailStep(run, step, reason), cancellationToken);
            }
        }
        else if (queue == QueueNames.Events
            && EventMessageCodec.TryDecode(System.Text.Encoding.UTF8.GetBytes(messageText), out var delivery, out _)
            && delivery is { EventType: EventTypes.CallCompleted, CallId: { } callId })
        {
            await FailAsync(callId, run => FailUnstarted(run, reason), cancellationToken);
        }
    }

    /// <summary>Fails the step of this message, if the message is still the step's driver and the step is not done.</summary>
    private bool FailStep(WorkflowRun run, StepMessage message, string reason)
    {
        if (!run.Steps.TryGetValue(message.Step, out var state) || state.Token != message.Token
            || state.Status is StepStatus.Completed or StepStatus.Skipped)
        {
            return false;
        }

        run.Steps[message.Step] = state with
        {
            Status = StepStatus.Failed,
            FinishedAt = time.GetUtcNow(),
            Error = StepState.Bounded(state.Error is null ? reason : $"{reason}; last error: {state.Error}"),
            ClaimedBy = null,
            ClaimedAt = null,
        };
        Telemetry.WebhookTelemetry.RunFailing(message.Step, "poisoned", alreadyFailed: run.Status == RunStatus.Failed);
        run.Status = RunStatus.Failed;
        LogStepFailed(message.Step, run.RunId, reason);
        return true;
    }

    /// <summary>Fails a running run whose only step is still the first, never tried: its send never happened.</summary>
    private bool FailUnstarted(WorkflowRun run, string reason)
    {
        if (run.Status != RunStatus.Running
            || run.Steps.Values.Any(s => s.Status is StepStatus.Running or StepStatus.Completed or StepStatus.Failed or StepStatus.Retrying)
            || run.Steps.SingleOrDefault(s => s.Value.Status == StepStatus.Queued) is not { Key: { } first, Value: { Attempts: 0 } state })
        {
            return false;
        }

        run.Steps[first] = state with { Error = StepState.Bounded($"the event that started the run was poisoned: {reason}") };
        Telemetry.WebhookTelemetry.RunFailing(first, "poisoned", alreadyFailed: run.Status == RunStatus.Failed);
        run.Status = RunStatus.Failed;
        LogRunFailed(run.RunId, first, reason);
        return true;
    }

    /// <summary>Marks the run failed; when a late try of the message moved the run on meanwhile, decides again on what it is now.</summary>
    private Task<bool> FailAsync(string runId, Func<WorkflowRun, bool> fail, CancellationToken cancellationToken) =>
        ETagRetry.UpdateAsync(
            Rounds,
            (_, ct) => runs.FindAsync(runId, ct),
            run => run is not null && fail(run) ? ETagDecision<WorkflowRun, bool>.Write(run, true) : ETagDecision<WorkflowRun, bool>.Answer(false),
            (_, failed, ct) => runs.TrySaveAsync(failed, ct),
            _ => throw new RunChangedException($"Run {runId} changed under {Rounds} tries to mark it failed."),
            cancellationToken);

    [LoggerMessage(1, LogLevel.Error, "Step {Step} of run {RunId} failed: {Reason}")]
    private partial void LogStepFailed(string step, string runId, string reason);

    [LoggerMessage(2, LogLevel.Error, "Run {RunId} failed before its first step {Step} ran: {Reason}")]
    private partial void LogRunFailed(string runId, string step, string reason);
}
