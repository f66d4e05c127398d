using Microsoft.Extensions.Logging;
using SimpleAi.Webhooks.Events;

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
    public async Task StartAsync(EventMessage delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var callId = delivery.CallId ?? throw new ArgumentException("A call event needs a call id.", nameof(delivery));
        var run = NewRun(delivery, callId);
        var (first, skipped) = workflow.First(run.Data);
        foreach (var step in skipped)
        {
            run.Steps[step] = new StepState(StepStatus.Skipped, 0, FinishedAt: run.CreatedAt);
        }

        run.Status = first is null ? RunStatus.Completed : RunStatus.Running;
        if (await runs.TryCreateAsync(run, cancellationToken))
        {
            LogStarted(run.RunId, delivery.EventId, first ?? "(none)");
        }
        else
        {
            // The run exists: started by another delivery, or by this one before a crash. Queue its first step
            // again only if no step has taken it yet (in doubt, a duplicate step message is harmless).
            var existing = await runs.FindAsync(run.RunId, cancellationToken);
            if (existing is null || first is null || existing.Steps.ContainsKey(first) || existing.Status != RunStatus.Running)
            {
                LogAlreadyStarted(run.RunId, delivery.EventId);
                return;
            }
        }

        if (first is not null)
        {
            await steps.SendAsync(run, first, delivery.TraceParent, delivery.TraceState, cancellationToken);
        }
    }

    private WorkflowRun NewRun(EventMessage delivery, string callId)
    {
        var run = new WorkflowRun
        {
            RunId = callId,
            CallId = callId,
            EventId = delivery.EventId,
            CreatedAt = time.GetUtcNow(),
        };
        run.Data["call_id"] = callId;
        run.Data["event_id"] = delivery.EventId;
        run.Data["event_type"] = delivery.EventType;
        return run;
    }

    [LoggerMessage(1, LogLevel.Information, "Started run {RunId} for {EventId}; first step {Step}")]
    private partial void LogStarted(string runId, string eventId, string step);

    [LoggerMessage(2, LogLevel.Information, "Run {RunId} was already started; {EventId} adds nothing")]
    private partial void LogAlreadyStarted(string runId, string eventId);
}
