using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Webhooks.Queues;

/// <summary>
/// How the host retries a queue message whose function failed: host.json's <c>extensions.queues.maxDequeueCount</c>
/// (the last try: on it a failure also fails the run) and <c>visibilityTimeout</c> (the wait before the next try), with
/// their <c>AzureFunctionsJobHost__extensions__queues__…</c> app settings applied over the file as the host applies them
/// (<see cref="HostJsonConfiguration"/>). Not settings of the app's own: its last try is always the host's. On Service
/// Bus, where the app re-sends a failed message itself (<see cref="ServiceBusFailedTries"/>), it counts and waits the same.
/// </summary>
public sealed class HostRetryOptions
{
    /// <summary>Where host.json's queue settings live in the host's configuration (not a section of the app's own settings).</summary>
    public const string HostSection = $"{HostJsonConfiguration.Root}:extensions:queues";

    /// <summary>The try on which the host gives a failing message up to its poison queue (the extension's default: 5).</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a failed try's message stays invisible before the next try (the extension's default: none).</summary>
    public TimeSpan VisibilityTimeout { get; set; }
}

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

        var tries = configuration["Workflow:MaxDequeueCount"];
        if (tries is not null && tries != options.MaxDequeueCount.ToString(CultureInfo.InvariantCulture))
        {
            yield return $"Workflow__MaxDequeueCount is {tries} but the host gives up after {options.MaxDequeueCount} tries ({maxDequeueCount}): "
                + "the app no longer reads its own copy and always fails a run on the host's last try; remove the setting and change the host's.";
        }

        var delay = configuration["Workflow:RetryDelaySeconds"];
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
