namespace SimpleAi.Webhooks.Queues;

/// <summary>The broker that carries the app's queues; the Functions build picks the matching trigger flavour.</summary>
public enum QueueTransport
{
    StorageQueues,
    ServiceBus,
}
