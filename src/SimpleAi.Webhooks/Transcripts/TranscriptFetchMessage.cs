using System.Text.Json.Serialization;

namespace SimpleAi.Webhooks.Transcripts;

/// <summary>
/// A request, on <c>transcript-fetch</c>, to fetch one call's transcript: <c>{"v":1,"call_id","token","traceparent"}</c>,
/// where <c>token</c> names the fetch the call's state scheduled (see <see cref="TranscriptState.Token"/>).
/// </summary>
public sealed record TranscriptFetchMessage(
    [property: JsonPropertyName("call_id")] string CallId,
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("traceparent")] string? TraceParent = null)
{
    [JsonPropertyName("v")]
    public int V { get; init; } = 1;

    public BinaryData Encode() => BinaryData.FromObjectAsJson(this);

    public static TranscriptFetchMessage? Decode(string text)
    {
        try
        {
            var message = JsonSerializer.Deserialize<TranscriptFetchMessage>(text);
            return message is { V: 1 } && Guid.TryParseExact(message.CallId, "D", out _) ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
