namespace SimpleAi.Webhooks.Outbound;

/// <summary>
/// How the app writes JSON that a receiver reads (action documents, Slack and Teams messages, the call.started
/// forward, the pre-call answer): UTF-8 with only the escapes JSON requires (<see cref="MinimalJsonEncoder"/>).
/// </summary>
public static class OutboundJson
{
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = MinimalJsonEncoder.Instance };

    public static JsonSerializerOptions SerializerOptions { get; } = new() { Encoder = MinimalJsonEncoder.Instance };
}
