using System.Diagnostics.CodeAnalysis;
using System.Text.Unicode;

namespace SimpleAi.Webhooks.Events;

/// <summary>
/// Reads only the envelope of a webhook body in one forward pass over the raw bytes, and checks that the whole
/// body is well-formed UTF-8 JSON (so nothing malformed reaches a queue). Other fields are skipped, not parsed.
/// </summary>
public static class EnvelopeParser
{
    public const int MaxEventIdLength = 256;
    public const int MaxDepth = 64;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    public static bool TryParse(
        ReadOnlySpan<byte> body,
        [NotNullWhen(true)] out WebhookEnvelope? envelope,
        [NotNullWhen(false)] out EnvelopeError? error)
    {
        envelope = null;
        if (body.IsEmpty)
        {
            error = new EnvelopeError("$", "the body is empty");
            return false;
        }

        if (!Utf8.IsValid(body))
        {
            error = new EnvelopeError("$", "the body is not valid UTF-8");
            return false;
        }

        try
        {
            error = Read(body, out envelope);
        }
        catch (JsonException e)
        {
            error = new EnvelopeError("$", $"malformed JSON at byte {e.BytePositionInLine}: {FirstSentence(e.Message)}");
        }

        return error is null;
    }

    private static EnvelopeError? Read(ReadOnlySpan<byte> body, out WebhookEnvelope? envelope)
    {
        envelope = null;
        var reader = new Utf8JsonReader(body, ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return new EnvelopeError("$", "the body must be a JSON object");
        }

        string? eventType = null, eventId = null;
        PayloadFields payload = default;
        var sawPayload = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("event_type"u8))
            {
                if (eventType is not null)
                {
                    return Duplicate("event_type");
                }

                if (ReadString(ref reader, "event_type", out eventType, knownEventType: true) is { } typeError)
                {
                    return typeError;
                }
            }
            else if (reader.ValueTextEquals("event_id"u8))
            {
                if (eventId is not null)
                {
                    return Duplicate("event_id");
                }

                if (ReadString(ref reader, "event_id", out eventId) is { } idError)
                {
                    return idError;
                }
            }
            else if (reader.ValueTextEquals("payload"u8))
            {
                if (sawPayload)
                {
                    return Duplicate("payload");
                }

                sawPayload = true;
                if (ReadPayload(ref reader, out payload) is { } payloadError)
                {
                    return payloadError;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        // Reading past the end object makes the reader reject any trailing content.
        while (reader.Read())
        {
        }

        return Validate(eventType, eventId, sawPayload, payload, out envelope);
    }

    private static EnvelopeError? Validate(
        string? eventType, string? eventId, bool sawPayload, PayloadFields payload, out WebhookEnvelope? envelope)
    {
        envelope = null;
        if (string.IsNullOrEmpty(eventType))
        {
            return new EnvelopeError("event_type", eventType is null ? "required" : "must not be empty");
        }

        if (string.IsNullOrEmpty(eventId))
        {
            return new EnvelopeError("event_id", eventId is null ? "required" : "must not be empty");
        }

        if (eventId.Length > MaxEventIdLength)
        {
            return new EnvelopeError("event_id", $"must be at most {MaxEventIdLength} characters");
        }

        if (eventId.AsSpan().ContainsAny(ForbiddenKeyChars))
        {
            return new EnvelopeError("event_id", "must not contain '/', '\\', '#', '?' or control characters");
        }

        if (EventTypes.IsKnown(eventType))
        {
            if (!sawPayload)
            {
                return new EnvelopeError("payload", "required");
            }

            if (payload.CallId is null)
            {
                return new EnvelopeError("payload.call_id", "required");
            }

            if (payload.Attempt is null)
            {
                return new EnvelopeError("payload.attempt", "required");
            }
        }

        envelope = new WebhookEnvelope(eventType, eventId, payload.CallId, payload.Attempt);
        return null;
    }

    private static EnvelopeError? ReadPayload(ref Utf8JsonReader reader, out PayloadFields payload)
    {
        payload = default;
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return new EnvelopeError("payload", "must be a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("call_id"u8))
            {
                if (payload.CallId is not null)
                {
                    return Duplicate("payload.call_id");
                }

                if (ReadString(ref reader, "payload.call_id", out var callId) is { } error)
                {
                    return error;
                }

                if (!Guid.TryParseExact(callId, "D", out _))
                {
                    return new EnvelopeError("payload.call_id", "must be a UUID such as 123e4567-e89b-12d3-a456-426614174000");
                }

                payload = payload with { CallId = callId };
            }
            else if (reader.ValueTextEquals("attempt"u8))
            {
                if (payload.Attempt is not null)
                {
                    return Duplicate("payload.attempt");
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var attempt) || attempt < 1)
                {
                    return new EnvelopeError("payload.attempt", "must be a positive integer");
                }

                payload = payload with { Attempt = attempt };
            }
            else
            {
                reader.Skip();
            }
        }

        return null;
    }

    private static EnvelopeError? ReadString(ref Utf8JsonReader reader, string field, out string? value, bool knownEventType = false)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            value = null;
            return new EnvelopeError(field, "must be a string");
        }

        value = (knownEventType ? KnownEventType(ref reader) : null) ?? reader.GetString();
        return null;
    }

    private static EnvelopeError Duplicate(string field) => new(field, "appears more than once");

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    /// <summary>What a Table key cannot hold: '/', '\', '#', '?' and the control characters (as <see cref="char.IsControl(char)"/>).</summary>
    private static readonly System.Buffers.SearchValues<char> ForbiddenKeyChars = System.Buffers.SearchValues.Create(
        "/\\#?" + new string([.. Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c)]));

    /// <summary>A known event type as its constant, so the common case allocates no string; null for any other.</summary>
    private static string? KnownEventType(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("call.completed"u8) ? EventTypes.CallCompleted
        : reader.ValueTextEquals("call.transcript_update"u8) ? EventTypes.CallTranscriptUpdate
        : reader.ValueTextEquals("call.started"u8) ? EventTypes.CallStarted
        : reader.ValueTextEquals("transcript.updated"u8) ? EventTypes.TranscriptUpdated
        : null;

    private record struct PayloadFields(string? CallId, int? Attempt);
}

/// <summary>
/// The fields of a Simple AI webhook body that routing needs:
/// <c>{"event_type","event_id","payload":{"call_id","attempt"}}</c>. Call fields are absent only for unknown event types.
/// </summary>
public sealed record WebhookEnvelope(string EventType, string EventId, string? CallId, int? Attempt)
{
    public bool IsKnownType => EventTypes.IsKnown(EventType);
}

/// <summary>Why a body is not a usable envelope, naming the JSON field (<c>$</c> for the body as a whole).</summary>
public sealed record EnvelopeError(string Field, string Detail);
