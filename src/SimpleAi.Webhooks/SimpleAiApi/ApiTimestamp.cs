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

/// <summary>
/// Reads an ISO 8601 string into an <see cref="ApiTimestamp"/> with the parser System.Text.Json uses for
/// <see cref="DateTimeOffset"/> (so what was accepted before still is, and what was refused still is), keeping the
/// text; writes the text back unchanged.
/// </summary>
public sealed class ApiTimestampJsonConverter : JsonConverter<ApiTimestamp>
{
    public override ApiTimestamp Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value))
        {
            // Without a message the serializer writes its own, naming the field (Path: $.started_at) as it did for
            // DateTimeOffset.
            throw new JsonException();
        }

        return new ApiTimestamp(reader.GetString()!, value);
    }

    public override void Write(Utf8JsonWriter writer, ApiTimestamp value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.Text);
    }
}
