#if !SERVICE_BUS_TRANSPORT
using Microsoft.Azure.Functions.Worker;
using SimpleAi.Webhooks.Operations;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Functions;

/// <summary>
/// On a timer (<c>Workflow__PoisonSweepSchedule</c>, every 30 s): takes in the messages the host moved to a poison
/// queue by itself, fails the runs they leave unfinished and keeps them from expiring (see <see cref="PoisonSweeper"/>).
/// Storage Queues builds only: Service Bus dead-letters inside the broker.
/// </summary>
public sealed class PoisonSweep(PoisonSweeper sweeper)
{
    [Function(nameof(PoisonSweep))]
    public Task Run(
        // No schedule monitor: a sweep missed while the app was stopped needs no catching up, the next one does it all.
        [TimerTrigger("%" + WorkflowOptions.PoisonSweepScheduleSetting + "%", UseMonitor = false)] TimerInfo timer,
        CancellationToken cancellationToken) =>
        sweeper.SweepAsync(cancellationToken);
}
#endif
