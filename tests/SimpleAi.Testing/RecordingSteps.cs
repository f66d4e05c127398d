using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Testing;

/// <summary>A no-op step whose only side effect is being recorded in the <see cref="EffectLog"/>.</summary>
public abstract class RecordingStep(EffectLog log) : IWorkflowStep
{
    public Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        log.Record(context);
        if (log.FaultAfterEffect(context) is { } fault)
        {
            throw fault;
        }

        return Task.FromResult(new StepResult(new Dictionary<string, string> { [$"{context.Step}_done"] = "true" }));
    }
}

public sealed class StepA(EffectLog log) : RecordingStep(log);

public sealed class StepB(EffectLog log) : RecordingStep(log);

public sealed class StepC(EffectLog log) : RecordingStep(log);
