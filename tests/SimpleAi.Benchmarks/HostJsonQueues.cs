using Microsoft.Azure.WebJobs.Host;
using SimpleAi.Functions;
using SimpleAi.LocalHost;

namespace SimpleAi.Benchmarks;

/// <summary>The app's own host.json queue settings (maxPollingInterval 2 s, visibilityTimeout 30 s), for runs that measure what a deployed app does rather than the tests' fast settings.</summary>
public static class HostJsonQueues
{
    public static string Path => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(typeof(HttpFunctions).Assembly.Location)!, HostJson.FileName);

    public static QueuesOptions Read() => HostJson.QueuesOptions(Path);

    /// <summary>Puts back what <c>WorkflowHarness.FastQueues</c> shortened: host.json's polling interval and visibility timeout.</summary>
    public static void Apply(QueuesOptions queues)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var hostJson = Read();
        queues.MaxPollingInterval = hostJson.MaxPollingInterval;
        queues.VisibilityTimeout = hostJson.VisibilityTimeout;
    }
}
