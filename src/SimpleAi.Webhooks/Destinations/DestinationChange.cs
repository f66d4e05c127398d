namespace SimpleAi.Webhooks.Destinations;

/// <summary>Whether an outcome changed a destination's state (the metric and the log follow the write).</summary>
public enum DestinationChange
{
    None,
    Paused,
    Resumed,
}
