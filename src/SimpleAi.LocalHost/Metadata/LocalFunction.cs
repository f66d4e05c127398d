using System.Reflection;

namespace SimpleAi.LocalHost.Metadata;

/// <summary>One function of the app: its name, the method the worker would call (<c>Namespace.Type.Method</c>) and its trigger.</summary>
public sealed record LocalFunction(string Name, string EntryPoint, MethodInfo Method, FunctionTrigger Trigger)
{
    /// <summary>The queue a queue trigger listens on, else null.</summary>
    public string? QueueName => (Trigger as QueueTriggerBinding)?.QueueName;

    public override string ToString() => $"{Name} ({EntryPoint})";
}
