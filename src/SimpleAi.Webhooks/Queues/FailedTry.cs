using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Queues;

/// <summary>A try of a queue-triggered function that threw: the message as received, the host's delivery facts and the error.</summary>
public sealed record FailedTry(string Queue, string MessageText, QueueDelivery Delivery, Exception Error);
