using SimpleAi.Webhooks.Lifecycle;

namespace SimpleAi.Functions;

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
