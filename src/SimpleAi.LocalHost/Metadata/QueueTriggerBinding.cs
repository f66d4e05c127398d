namespace SimpleAi.LocalHost.Metadata;

/// <summary>A <c>queueTrigger</c> binding: the queue and the name of the connection setting.</summary>
public sealed record QueueTriggerBinding(string ParameterName, string QueueName, string Connection) : FunctionTrigger(ParameterName);
