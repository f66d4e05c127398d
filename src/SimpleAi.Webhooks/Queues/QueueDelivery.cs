namespace SimpleAi.Webhooks.Queues;

/// <summary>The host's facts about one delivery of a queue message: its id (stable across redeliveries) and try number.</summary>
public sealed record QueueDelivery(string MessageId, long DequeueCount);

/// <summary>A try of a queue-triggered function that failed: the message as received, the host's delivery facts and the error.</summary>
public sealed record FailedTry(string Queue, string MessageText, QueueDelivery Delivery, Exception Error);
