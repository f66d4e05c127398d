using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Telemetry;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// What the sweep does on every transport with each message the transport gave up on by itself: records what the
/// message left undone (<see cref="PoisonBookkeeping"/>, with the transport's reason), puts the app's never-expiring
/// wrapper <c>{"reason","queue","message"}</c> in <c>&lt;queue&gt;-poison</c>, and removes the original. The app's
/// wrappers a pass meets (a Storage poison queue holds both) are left where they are.
/// </summary>
public sealed class PoisonIntake(PoisonQueue poison, PoisonBookkeeping bookkeeping, WorkflowDefinition workflow)
{
    /// <summary>Most messages looked at in one queue per sweep; the next sweep goes on.</summary>
    private const int MaxPerQueue = 1_000;

    /// <summary>The queues whose given-up messages are swept: <c>events</c>, <c>transcript-fetch</c> and every step's.</summary>
    public IReadOnlyList<string> Queues { get; } = QueueNames.WorkQueues(workflow.RegisteredSteps);

    /// <param name="queue">The work queue the messages of <paramref name="pass"/> were given up from.</param>
    /// <param name="taken">Told of each message taken in.</param>
    /// <returns>How many messages were taken in.</returns>
    public async Task<int> TakeInAsync<TMessage>(
        string queue, IGivenUpPass<TMessage> pass, Action<TMessage> taken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(taken);
        var looked = 0;
        var count = 0;
        while (looked < MaxPerQueue)
        {
            var batch = await pass.ReceiveAsync(Math.Min(32, MaxPerQueue - looked), cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            looked += batch.Count;
            foreach (var message in batch)
            {
                var text = pass.TextOf(message);
                if (PoisonQueue.TryUnwrap(text, out _, out _, out _))
                {
                    pass.Hold(message);
                    continue;
                }

                var reason = pass.ReasonOf(message);
                await bookkeeping.RecordAsync(queue, text, reason, cancellationToken);
                await poison.SendAsync(queue, text, reason, cancellationToken);
                await pass.RemoveAsync(message, cancellationToken);
                WebhookTelemetry.Poisoned(queue, PoisonOrigin.Host);
                taken(message);
                count++;
            }
        }

        return count;
    }
}
