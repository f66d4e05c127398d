namespace SimpleAi.Webhooks.Operations;

public static class PoisonSweeps
{
    /// <summary>One sweep of every queue of <paramref name="sweeper"/>, one after the other.</summary>
    /// <returns>How many messages were taken in.</returns>
    public static async Task<int> SweepAsync(this IPoisonSweeper sweeper, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweeper);
        var taken = 0;
        foreach (var queue in sweeper.Queues)
        {
            taken += await sweeper.SweepQueueAsync(queue, cancellationToken);
        }

        return taken;
    }
}
