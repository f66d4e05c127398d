using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace SimpleAi.Benchmarks;

/// <summary>One bare hop of the floor: a table insert per message, and the first copy of a call's message sent on to the next hop.</summary>
/// <param name="lastHopDone">Told the call whose first copy passed the last hop (the peer benchmark's clock).</param>
public sealed class FloorHops(QueueServiceClient queues, TableClient table, Action<string>? lastHopDone = null)
{
    public static readonly string[] Chain = ["floor-events", "floor-a", "floor-b", "floor-c"];

    public async Task HandleAsync(int hop, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var (call, copy) = (message.Split(':')[0], message.Split(':')[1]);
        try
        {
            await table.AddEntityAsync(new TableEntity(call, $"{Chain[hop]}-{copy}"), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Insert-if-absent, as the app's inserts are: an insert whose answer was lost and that the SDK sent
            // again, or a retried message, finds its own row.
        }

        if (hop + 1 < Chain.Length && copy == "0")
        {
            await queues.GetQueueClient(Chain[hop + 1]).SendMessageAsync(message, cancellationToken);
        }
        else if (hop + 1 == Chain.Length && copy == "0")
        {
            lastHopDone?.Invoke(call);
        }
    }
}
