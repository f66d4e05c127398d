using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Queues;

/// <summary>
/// Refuses to start with host retry values the host would not run, or beside an app setting that says another try
/// count or delay: <c>Workflow__MaxDequeueCount</c> and <c>Workflow__RetryDelaySeconds</c> were the app's own copies of
/// the host's values and are no longer read, so one that differs would silently mean something else than it says.
/// </summary>
public sealed class HostRetryOptionsValidator(IConfiguration configuration) : ProblemsValidator<HostRetryOptions>
{
    private const string Queues = "extensions:queues";

    protected override IEnumerable<string> Problems(HostRetryOptions options)
    {
        var maxDequeueCount = Named("maxDequeueCount");
        var visibilityTimeout = Named("visibilityTimeout");
        if (options.MaxDequeueCount < 1)
        {
            yield return $"{maxDequeueCount} is {options.MaxDequeueCount}: the host needs at least 1 try.";
        }

        if (options.VisibilityTimeout < TimeSpan.Zero)
        {
            yield return $"{visibilityTimeout} is negative.";
        }

        var tries = configuration[$"{WorkflowOptions.Section}:MaxDequeueCount"];
        if (tries is not null && tries != options.MaxDequeueCount.ToString(CultureInfo.InvariantCulture))
        {
            yield return $"Workflow__MaxDequeueCount is {tries} but the host gives up after {options.MaxDequeueCount} tries ({maxDequeueCount}): "
                + "the app no longer reads its own copy and always fails a run on the host's last try; remove the setting and change the host's.";
        }

        var delay = configuration[$"{WorkflowOptions.Section}:RetryDelaySeconds"];
        if (delay is not null && delay != ((int)options.VisibilityTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture))
        {
            yield return $"Workflow__RetryDelaySeconds is {delay} but the host waits {options.VisibilityTimeout.TotalSeconds:0.###} s before a retry ({visibilityTimeout}): "
                + "the app no longer reads its own copy; remove the setting and change the host's.";
        }
    }

    /// <summary>Both places a host queue setting is said: host.json's key and the app setting that overrides it.</summary>
    private static string Named(string setting) =>
        $"host.json's {Queues.Replace(':', '.')}.{setting} or the app setting {HostJsonConfiguration.OverrideName($"{Queues}:{setting}")}";
}
