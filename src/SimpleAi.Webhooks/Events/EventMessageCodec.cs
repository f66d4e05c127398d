using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Webhooks.Events;

/// <summary>
/// The wire form of <see cref="EventMessage"/>: one JSON object (ASCII only, so it is safe as Storage Queue text
/// without Base64) whose <c>body</c> is the raw delivery in base64, or whose <c>body_blob</c> names it in
/// <see cref="EventBodyStore.Container"/>. Version 1:
/// <code>{"v":1,"event_id","event_type","call_id","attempt","webhook_id","received_at","traceparent","tracestate","body"|"body_blob"}</code>
/// </summary>
public static class EventMessageCodec
{
    public const int Version = 1;

    public static OutboundMessage ToOutboundMessage(EventMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["event_id"] = message.EventId,
            ["event_type"] = message.EventType,
        };
        if (message.CallId is not null)
        {
            properties["call_id"] = message.CallId;
        }

        if (message.Attempt is { } attempt)
        {
            properties["attempt"] = attempt.ToString(CultureInfo.InvariantCulture);
        }

        if (message.TraceParent is not null)
        {
            // The property name Azure SDKs and the Functions Service Bus trigger read trace context from.
            properties["Diagnostic-Id"] = message.TraceParent;
        }

        return new OutboundMessage(QueueNames.Events, Encode(message), message.EventId, message.EventType, properties);
    }

    public static BinaryData Encode(EventMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new ArrayBufferWriter<byte>(256 + message.Body.Length * 4 / 3);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v"u8, Version);
            writer.WriteString("event_id"u8, message.EventId);
            writer.WriteString("event_type"u8, message.EventType);
            WriteOptional(writer, "call_id"u8, message.CallId);
            if (message.Attempt is { } attempt)
            {
                writer.WriteNumber("attempt"u8, attempt);
            }

            WriteOptional(writer, "webhook_id"u8, message.WebhookId);
            writer.WriteString("received_at"u8, message.ReceivedAt);
            WriteOptional(writer, "traceparent"u8, message.TraceParent);
            WriteOptional(writer, "tracestate"u8, message.TraceState);
            if (message.BodyBlob is not null)
            {
                writer.WriteString("body_blob"u8, message.BodyBlob);
            }
            else
            {
                writer.WriteBase64String("body"u8, message.Body.Span);
            }

            writer.WriteEndObject();
        }

        return new BinaryData(buffer.WrittenMemory);
    }

    public static bool TryDecode(
        ReadOnlySpan<byte> json,
        [NotNullWhen(true)] out EventMessage? message,
        [NotNullWhen(false)] out string? error)
    {
        message = null;
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "the message is not a JSON object";
                return false;
            }

            if (!root.TryGetProperty("v", out var version) || version.ValueKind != JsonValueKind.Number
                || version.GetInt32() != Version)
            {
                error = $"unsupported message version (expected v={Version})";
                return false;
            }

            var eventId = StringOrNull(root, "event_id");
            var eventType = StringOrNull(root, "event_type");
            var bodyBlob = StringOrNull(root, "body_blob");
            byte[]? bytes = null;
            if (bodyBlob is null && !(root.TryGetProperty("body", out var body) && body.TryGetBytesFromBase64(out bytes)))
            {
                error = "'body' is missing or not base64, and there is no 'body_blob'";
                return false;
            }

            if (eventId is null || eventType is null)
            {
                error = "'event_id' and 'event_type' are required strings";
                return false;
            }

            message = new EventMessage(
                eventId,
                eventType,
                StringOrNull(root, "call_id"),
                root.TryGetProperty("attempt", out var attempt) && attempt.TryGetInt32(out var a) ? a : null,
                StringOrNull(root, "webhook_id"),
                root.TryGetProperty("received_at", out var receivedAt) && receivedAt.TryGetDateTimeOffset(out var at)
                    ? at
                    : DateTimeOffset.MinValue,
                StringOrNull(root, "traceparent"),
                StringOrNull(root, "tracestate"),
                bytes ?? [],
                bodyBlob);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = "the message is not JSON: " + e.Message;
            return false;
        }
        catch (InvalidOperationException e)
        {
            error = "the message has a field of the wrong type: " + e.Message;
            return false;
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static string? StringOrNull(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
