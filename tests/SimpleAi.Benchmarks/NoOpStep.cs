using DurableTask.Core;

namespace SimpleAi.Benchmarks;

/// <summary>A no-op activity; the last of the three tells the clock its orchestration's call is done.</summary>
public sealed class NoOpStep(Action<string> lastStepDone) : TaskActivity<int, int>
{
    protected override int Execute(TaskContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (input == ThreeNoOpSteps.Steps)
        {
            lastStepDone(context.OrchestrationInstance.InstanceId);
        }

        return input;
    }
}
