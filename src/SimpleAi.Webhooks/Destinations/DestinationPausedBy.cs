namespace SimpleAi.Webhooks.Destinations;

/// <summary>Who paused a destination: its failures (probes resume it) or an operator (only an operator resumes it).</summary>
public enum DestinationPausedBy
{
    Failures,
    Operator,
}
