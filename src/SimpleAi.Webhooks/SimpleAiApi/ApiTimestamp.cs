using System.Text.Json.Serialization;

namespace SimpleAi.Webhooks.SimpleAiApi;

/// <summary>
/// A time the Simple AI API gave: <see cref="Value"/> for code that computes with it, <see cref="Text"/> exactly as
/// the API wrote it (<c>2025-01-15T10:30:00Z</c> stays that, not <c>…+00:00</c>) for documents sent on.
/// </summary>
[JsonConverter(typeof(ApiTimestampJsonConverter))]
public sealed record ApiTimestamp(string Text, DateTimeOffset Value)
{
    public override string ToString() => Text;
}
