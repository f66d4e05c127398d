using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Host;

namespace SimpleAi.LocalHost.Queues;

/// <summary>Hands the WebJobs host the generated job type to index (<see cref="ITypeLocator"/>) and its instances (<see cref="IJobActivator"/>).</summary>
internal sealed class GeneratedJobs(Type jobType, JobInvoker invoker) : ITypeLocator, IJobActivator
{
    private readonly object _instance = Activator.CreateInstance(jobType, invoker)!;

    public IReadOnlyList<Type> GetTypes() => [jobType];

    public T CreateInstance<T>() =>
        typeof(T) == jobType ? (T)_instance : throw new InvalidOperationException($"The WebJobs host asked for {typeof(T)}, not a generated job type.");
}
