namespace SimpleAi.Webhooks.Workflow;

/// <summary>The host's facts about one delivery of a queue message: its id (stable across redeliveries) and try number.</summary>
public sealed record QueueDelivery(string MessageId, long DequeueCount);
