using SimpleAi.Webhooks.Lifecycle;
using SimpleAi.Webhooks.Operations;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Functions;

/// <summary>
/// On a timer (<c>Workflow__PoisonSweepSchedule</c>, every 30 s): takes in the messages the transport gave up on by
/// itself (the Storage host's poison copies, Service Bus dead letters), fails the runs they leave unfinished and keeps
/// them in <c>&lt;queue&gt;-poison</c> for <c>replay</c> (see <see cref="IPoisonSweeper"/>).
/// </summary>
public sealed class PoisonSweep(IPoisonSweeper sweeper)
{
    [Function(nameof(PoisonSweep))]
    public Task Run(
        // No schedule monitor: a sweep missed while the app was stopped needs no catching up, the next one does it all.
        [TimerTrigger("%" + WorkflowOptions.PoisonSweepScheduleSetting + "%", UseMonitor = false)] TimerInfo timer,
        CancellationToken cancellationToken) =>
        sweeper.SweepAsync(cancellationToken);
}

/// <summary>
/// On a timer (<c>Retention__SweepSchedule</c>, daily): deletes every row, blob and poison message of the calls that
/// started longer ago than <c>Retention__Days</c> (see <see cref="RetentionSweeper"/>).
/// </summary>
public sealed class RetentionSweep(RetentionSweeper sweeper)
{
    [Function(nameof(RetentionSweep))]
    public Task Run(
        // No schedule monitor: a sweep missed while the app was stopped needs no catching up, the next one does it all.
        [TimerTrigger("%" + RetentionOptions.SweepScheduleSetting + "%", UseMonitor = false)] TimerInfo timer,
        CancellationToken cancellationToken) =>
        sweeper.SweepAsync(cancellationToken);
}
