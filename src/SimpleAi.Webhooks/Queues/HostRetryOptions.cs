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
