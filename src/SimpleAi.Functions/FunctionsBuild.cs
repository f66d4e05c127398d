using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Functions;

/// <summary>Facts fixed when the app is built: the MSBuild property <c>QueueTransport</c> picks the trigger flavour.</summary>
public static class FunctionsBuild
{
#if SERVICE_BUS_TRANSPORT
    public const QueueTransport QueueTransport = SimpleAi.Webhooks.Queues.QueueTransport.ServiceBus;
#else
    public const QueueTransport QueueTransport = SimpleAi.Webhooks.Queues.QueueTransport.StorageQueues;
#endif
}
