using DurableTask.Core;

namespace SimpleAi.Benchmarks;

/// <summary>The peer's workflow: one orchestration per call calling three no-op activities in order, as a Durable Functions user would chain post-call steps.</summary>
public sealed class ThreeNoOpSteps : TaskOrchestration<int, int>
{
    public const int Steps = 3;

    public override async Task<int> RunTask(OrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        for (var step = 1; step <= Steps; step++)
        {
            await context.ScheduleTask<int>(typeof(NoOpStep), step);
        }

        return Steps;
    }
}
