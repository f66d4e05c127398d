namespace SimpleAi.Webhooks.Destinations;

public enum DestinationStatus
{
    Active,
    Paused,
}
