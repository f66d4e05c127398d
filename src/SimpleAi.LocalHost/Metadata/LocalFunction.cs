using System.Reflection;

namespace SimpleAi.LocalHost.Metadata;

/// <summary>One function of the app: its name, the method the worker would call (<c>Namespace.Type.Method</c>) and its trigger.</summary>
public sealed record LocalFunction(string Name, string EntryPoint, MethodInfo Method, FunctionTrigger Trigger)
{
    /// <summary>The queue a queue trigger listens on, else null.</summary>
    public string? QueueName => (Trigger as QueueTriggerBinding)?.QueueName;

    public override string ToString() => $"{Name} ({EntryPoint})";
}

/// <summary>The trigger binding of a function, as functions.metadata describes it; <paramref name="ParameterName"/> names the method's parameter it binds.</summary>
public abstract record FunctionTrigger(string ParameterName);

/// <summary>An <c>httpTrigger</c> binding: the route template (under the host's route prefix), the methods (none: all) and the key level.</summary>
public sealed record HttpTriggerBinding(string ParameterName, string Route, IReadOnlyList<string> Methods, string AuthLevel) : FunctionTrigger(ParameterName);

/// <summary>A <c>queueTrigger</c> binding: the queue and the name of the connection setting.</summary>
public sealed record QueueTriggerBinding(string ParameterName, string QueueName, string Connection) : FunctionTrigger(ParameterName);

/// <summary>A <c>timerTrigger</c> binding: an NCRONTAB expression (or a TimeSpan), run on start-up or not, with the schedule monitor or not.</summary>
public sealed record TimerTriggerBinding(string ParameterName, string Schedule, bool RunOnStartup, bool UseMonitor) : FunctionTrigger(ParameterName);
