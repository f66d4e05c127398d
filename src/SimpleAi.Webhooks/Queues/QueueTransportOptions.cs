namespace SimpleAi.Webhooks.Queues;

/// <summary>
/// The transport the deployment provisioned (section <c>Queues</c>): infra/main.bicep sets <c>Queues__Transport</c> from
/// its <c>queueTransport</c>. The build picks its trigger flavour at compile time (<c>-p:QueueTransport</c>), so a build of
/// the other transport would listen on queues that do not exist and say nothing; the app refuses to start instead
/// (<see cref="QueueTransportOptionsValidator"/>).
/// </summary>
public sealed class QueueTransportOptions
{
    public const string Section = "Queues";

    /// <summary><c>storageQueues</c> or <c>serviceBus</c> (as the Bicep's <c>queueTransport</c> spells them); unset: the build's.</summary>
    public string? Transport { get; set; }
}
