namespace SimpleAi.Webhooks.Queues;

/// <summary>
/// Names of the connection settings, shared by the trigger attributes (<c>Connection = ...</c>) and the clients.
/// Each is a connection string (Azurite) or a section with <c>__queueServiceUri</c>/<c>__fullyQualifiedNamespace</c>,
/// <c>__credential</c> and <c>__clientId</c> (managed identity in Azure).
/// </summary>
public static class ConnectionNames
{
    public const string Storage = "SimpleAiStorage";
    public const string ServiceBus = "SimpleAiServiceBus";
}
