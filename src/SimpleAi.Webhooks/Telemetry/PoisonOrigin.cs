namespace SimpleAi.Webhooks.Telemetry;

/// <summary>Who put a message in its poison queue (the <c>origin</c> dimension of <c>simpleai.webhooks.poison.moves</c>).</summary>
public enum PoisonOrigin
{
    /// <summary>The app: a message it can never use, or a step that failed for good.</summary>
    App,

    /// <summary>
    /// The transport, after the message's last try: the Storage host's poison copy, or a Service Bus dead letter;
    /// counted when the sweep takes it in.
    /// </summary>
    Host,
}
