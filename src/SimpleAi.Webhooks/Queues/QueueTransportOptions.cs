using SimpleAi.Webhooks.Hosting;

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

/// <summary>The broker that carries the app's queues; the Functions build picks the matching trigger flavour.</summary>
public enum QueueTransport
{
    StorageQueues,
    ServiceBus,
}

/// <summary>Refuses to start a build whose queue triggers are of another transport than the one its settings provisioned.</summary>
public sealed class QueueTransportOptionsValidator(QueueTransport built) : ProblemsValidator<QueueTransportOptions>
{
    protected override IEnumerable<string> Problems(QueueTransportOptions options)
    {
        if (string.IsNullOrEmpty(options.Transport))
        {
            yield break;
        }

        if (!Enum.TryParse<QueueTransport>(options.Transport, ignoreCase: true, out var provisioned) || !Enum.IsDefined(provisioned))
        {
            yield return $"Queues__Transport '{options.Transport}' is unknown (known: storageQueues, serviceBus).";
        }
        else if (provisioned != built)
        {
            yield return $"Queues__Transport says {SpelledAsBicep(provisioned)}, but this build's queue triggers are {SpelledAsBicep(built)} "
                + $"(built with -p:QueueTransport={built}): it would listen on queues that were not provisioned. Deploy a build of "
                + $"the same transport (`azd deploy` builds the environment's; by hand, -p:QueueTransport={provisioned}).";
        }
    }

    /// <summary>A transport as the Bicep's <c>queueTransport</c> and this setting spell it.</summary>
    public static string SpelledAsBicep(QueueTransport transport) => transport switch
    {
        QueueTransport.ServiceBus => "serviceBus",
        _ => "storageQueues",
    };
}
