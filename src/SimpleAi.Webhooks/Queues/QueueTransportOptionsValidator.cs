using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Webhooks.Queues;

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
