using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Benchmarks;

/// <summary>The workflow throughput floor's four hops as queue-triggered functions, run by the same host as the engine.</summary>
public sealed class FloorFunctions(FloorHops hops)
{
    [Function("floor-events")]
    public Task Events([QueueTrigger("floor-events", Connection = ConnectionNames.Storage)] string message, CancellationToken cancellationToken) =>
        hops.HandleAsync(0, message, cancellationToken);

    [Function("floor-a")]
    public Task A([QueueTrigger("floor-a", Connection = ConnectionNames.Storage)] string message, CancellationToken cancellationToken) =>
        hops.HandleAsync(1, message, cancellationToken);

    [Function("floor-b")]
    public Task B([QueueTrigger("floor-b", Connection = ConnectionNames.Storage)] string message, CancellationToken cancellationToken) =>
        hops.HandleAsync(2, message, cancellationToken);

    [Function("floor-c")]
    public Task C([QueueTrigger("floor-c", Connection = ConnectionNames.Storage)] string message, CancellationToken cancellationToken) =>
        hops.HandleAsync(3, message, cancellationToken);
}
