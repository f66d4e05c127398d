using SimpleAi.Webhooks.Connections;

namespace SimpleAi.Functions;

/// <summary>
/// Facts fixed when the app is built: the MSBuild property <c>QueueTransport</c> picks the trigger flavour, and with it
/// the connection every queue trigger names (<c>SimpleAiServiceBus__fullyQualifiedNamespace</c> or
/// <c>SimpleAiStorage__queueServiceUri</c> in Azure; infra/main.bicep sets the one its <c>queueTransport</c> needs).
/// </summary>
public static class FunctionsBuild
{
#if SERVICE_BUS_TRANSPORT
    public const QueueTransport QueueTransport = SimpleAi.Webhooks.Queues.QueueTransport.ServiceBus;
    public const string QueueConnection = ConnectionNames.ServiceBus;
#else
    public const QueueTransport QueueTransport = SimpleAi.Webhooks.Queues.QueueTransport.StorageQueues;
    public const string QueueConnection = ConnectionNames.Storage;
#endif
}
