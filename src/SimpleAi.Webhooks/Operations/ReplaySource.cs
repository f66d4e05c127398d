namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// The queue <c>replay</c> moves messages out of: a <c>&lt;queue&gt;-poison</c> queue (both transports), or on Service
/// Bus a dead-letter queue, <c>&lt;queue&gt;/$deadletterqueue</c> (any case). Anything else is refused with the reason,
/// so a typo never moves a work queue onto itself or reports "moved 0" for a queue that cannot hold poison.
/// </summary>
public sealed record ReplaySource(string Entity, bool DeadLetters)
{
    public const string DeadLetterSuffix = "/$deadletterqueue";

    private const string PoisonSuffix = "-poison";

    public static ReplaySource Parse(string name, bool serviceBus)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.EndsWith(DeadLetterSuffix, StringComparison.OrdinalIgnoreCase))
        {
            if (!serviceBus)
            {
                throw new ArgumentException(
                    $"'{name}' is a Service Bus dead-letter queue, but the app's queues are Storage Queues: replay '<queue>{PoisonSuffix}' (or set SimpleAiServiceBus to use Service Bus)");
            }

            return new ReplaySource(name[..^DeadLetterSuffix.Length], DeadLetters: true);
        }

        if (!name.EndsWith(PoisonSuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException(serviceBus
                ? $"'{name}' is not a poison queue: replay '{name}{PoisonSuffix}' or '{name}{DeadLetterSuffix}'"
                : $"'{name}' is not a poison queue: replay '{name}{PoisonSuffix}'");
        }

        return new ReplaySource(name, DeadLetters: false);
    }
}
