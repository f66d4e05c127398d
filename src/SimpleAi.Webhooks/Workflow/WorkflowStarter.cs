using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Telemetry;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// Starts the post-call run of a call, once per call however many deliveries announce its completion: the run row
/// is inserted if absent (the run id is the call id), then the first step is queued.
/// </summary>
public sealed partial class WorkflowStarter(
    WorkflowDefinition workflow,
    RunStore runs,
    StepQueue steps,
    TimeProvider time,
    ILogger<WorkflowStarter> logger)
{
    /// <param name="message">The <c>events</c> queue message: only the one that created the run re-sends its first step.</param>
    /// <param name="seenBefore">Another queue message recorded the delivery's event id.</param>
    /// <returns>The event the call's run started from (this one or an earlier one); null when no run was found.</returns>
    public async Task<string?> StartAsync(EventMessage delivery, QueueDelivery message, bool seenBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(message);
        var callId = delivery.CallId ?? throw new ArgumentException("A call event needs a call id.", nameof(delivery));

        // Whichever message inserts the run sends its first step, and that message re-sends it after a crash. An event
        // another message recorded most likely has its run already, so look before inserting.
        var run = NewRun(delivery, callId, message.MessageId);
        var first = run.Steps.FirstOrDefault(s => s.Value.Status == StepStatus.Queued).Key;
        var existing = seenBefore ? await runs.FindAsync(run.RunId, cancellationToken) : null;
        if (existing is null && await runs.TryCreateAsync(run, cancellationToken))
        {
            LogStarted(run.RunId, delivery.EventId, first ?? "(none)");
        }
        else if ((existing ?? await runs.FindAsync(run.RunId, cancellationToken)) is not { } mine)
        {
            LogAlreadyStarted(run.RunId, delivery.EventId);
            return null;
        }
        else if (first is null)
        {
            LogAlreadyStarted(run.RunId, delivery.EventId);
            return mine.EventId;
        }
        else if (mine.StartedBy == message.MessageId && mine.Steps.GetValueOrDefault(first)?.Status == StepStatus.Queued)
        {
            // This very message created the run: it is back after a crash that may have lost the send of the first
            // step, or the SDK re-sent an insert whose answer was lost and met the row it had just written.
            run = mine;
        }
        else if (mine.Status == RunStatus.Failed && mine.Steps.GetValueOrDefault(first) is { Status: StepStatus.Queued, Attempts: 0 })
        {
            // The message that created the run was poisoned before its first step ever ran (the sweep failed the run):
            // this delivery of the same call (a replay, a retry by Simple AI) starts it again, with a new token so
            // that a late copy of the old message is a duplicate.
            mine.Steps[first] = StepState.Queue();
            mine.Status = RunStatus.Running;
            await runs.SaveAsync(mine, cancellationToken);
            LogRestarted(run.RunId, delivery.EventId, first);
            run = mine;
        }
        else
        {
            LogAlreadyStarted(run.RunId, delivery.EventId);
            return mine.EventId;
        }

        if (first is not null)
        {
            var (traceParent, traceState) = WebhookTelemetry.ContextToSend(delivery.TraceParent, delivery.TraceState);
            await steps.SendAsync(run, first, traceParent, traceState, cancellationToken);
        }

        return run.EventId;
    }

    /// <summary>A new run with the call's data, its first step queued (with a fresh token) and the ones before it skipped.</summary>
    private WorkflowRun NewRun(EventMessage delivery, string callId, string startedBy)
    {
        var run = new WorkflowRun
        {
            RunId = callId,
            CallId = callId,
            EventId = delivery.EventId,
            StartedBy = startedBy,
            CreatedAt = time.GetUtcNow(),
        };
        run.Data["call_id"] = callId;
        run.Data["event_id"] = delivery.EventId;
        run.Data["event_type"] = delivery.EventType;
        var (first, skipped) = workflow.First(run.Data);
        foreach (var skip in skipped)
        {
            run.Steps[skip.Step] = skip.State(run.CreatedAt);
        }

        if (first is not null)
        {
            run.Steps[first] = StepState.Queue();
        }

        run.Status = first is null ? RunStatus.Completed : RunStatus.Running;
        return run;
    }

    [LoggerMessage(1, LogLevel.Information, "Started run {RunId} for {EventId}; first step {Step}")]
    private partial void LogStarted(string runId, string eventId, string step);

    [LoggerMessage(2, LogLevel.Information, "Run {RunId} was already started; {EventId} adds nothing")]
    private partial void LogAlreadyStarted(string runId, string eventId);

    [LoggerMessage(3, LogLevel.Warning, "Run {RunId} had failed before its first step {Step} ran; {EventId} started it again")]
    private partial void LogRestarted(string runId, string eventId, string step);
}
