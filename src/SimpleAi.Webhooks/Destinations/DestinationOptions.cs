using System.ComponentModel.DataAnnotations;

namespace SimpleAi.Webhooks.Destinations;

/// <summary>When a failing destination pauses and how often waiting deliveries look again (section <c>Destinations</c>).</summary>
public sealed class DestinationOptions
{
    public const string Section = "Destinations";

    /// <summary>
    /// Retryable failures in a row (408, 429, 5xx, timeout, unreachable; across all deliveries and instances) that pause
    /// a destination. 20: well above what a blip or a burst of 429s produces in a row, and reached within minutes when a
    /// receiver is really down and completed calls keep arriving. A 2xx resets the count.
    /// </summary>
    [Range(1, 10_000)]
    public int PauseAfterFailures { get; set; } = 20;

    /// <summary>
    /// Longest a delivery to a paused destination waits before it asks the gate again (sooner when the next probe is
    /// sooner): the delay between a resume and the waiting deliveries going out.
    /// </summary>
    [Range(1, 3600)]
    public int RecheckSeconds { get; set; } = 60;

    /// <summary>
    /// How long after a pause the first probe goes out (then doubling, up to 10 minutes): long enough for a receiver
    /// that fell over to come back, short enough that a blip costs half a minute.
    /// </summary>
    [Range(1, 600)]
    public int FirstProbeSeconds { get; set; } = 30;
}
