using System.Text;
using SimpleAi.Webhooks.Json;
using SimpleAi.Webhooks.SimpleAiApi;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Actions;

/// <summary>
/// The bodies an action step posts: the documented JSON document, or a Slack or Teams message. UTF-8 with only the
/// escapes JSON requires, and the API's times as the API wrote them, so a receiver matching text sees what the
/// README shows.
/// </summary>
public static class OutboundFormats
{
    public const string Document = "document";
    public const string Slack = "slack";
    public const string Teams = "teams";

    public static readonly IReadOnlyList<string> All = [Document, Slack, Teams];

    public static byte[] Build(string format, StepContext context, SimpleAiCall call, bool includeTranscript) => format switch
    {
        Slack => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["text"] = Sentence(context, call) }, OutboundJson.SerializerOptions),
        Teams => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["@type"] = "MessageCard",
            ["@context"] = "https://schema.org/extensions",
            ["summary"] = $"Call {context.CallId}",
            ["text"] = Sentence(context, call),
        }, OutboundJson.SerializerOptions),
        _ => DocumentOf(context, call, includeTranscript),
    };

    /// <summary>The JSON document every action step posts by default (see the README for its fields).</summary>
    public static byte[] DocumentOf(StepContext context, SimpleAiCall call, bool includeTranscript)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, OutboundJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("type", "simpleai.call.completed");
            json.WriteString("step", context.Step);
            json.WriteString("idempotency_key", context.IdempotencyKey);
            json.WriteString("run_id", context.RunId);
            json.WriteString("call_id", context.CallId);
            json.WriteString("event_id", context.EventId);
            json.WriteStartObject("call");
            json.WriteString("status", call.Status);
            json.WriteString("direction", call.Direction);
            json.WriteString("from_number", call.FromNumber);
            json.WriteString("to_number", call.ToNumber);
            json.WriteString("answered_by", call.AnsweredBy);
            WriteTime(json, "started_at", call.StartedAt);
            WriteTime(json, "ended_at", call.EndedAt);
            if (call.Duration is { } duration)
            {
                json.WriteNumber("duration", duration);
            }
            else
            {
                json.WriteNull("duration");
            }

            json.WriteString("recording_url", call.RecordingUrl);
            json.WriteEndObject();
            json.WriteString("outcome", call.Summary?.Outcome);
            json.WriteString("summary", call.Summary?.Text);
            json.WriteStartArray("tags");
            foreach (var tag in call.Tags)
            {
                json.WriteStringValue(tag.Name);
            }

            json.WriteEndArray();
            json.WriteStartArray("analysis");
            foreach (var result in call.AnalysisResults)
            {
                json.WriteStartObject();
                if (result.AnalyzerId is { } id)
                {
                    json.WriteNumber("analyzer_id", id);
                }

                json.WriteString("prompt", result.Prompt);
                json.WriteString("type", result.OutputConfig?.Type);
                json.WritePropertyName("result");
                WriteJson(json, result.Result);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WritePropertyName("params");
            WriteJson(json, call.Params);
            json.WritePropertyName("external_identifiers");
            WriteJson(json, call.ExternalIdentifiers);
            if (includeTranscript)
            {
                json.WriteStartArray("transcript");
                foreach (var line in call.Transcripts.Where(l => !string.IsNullOrEmpty(l.Text)))
                {
                    json.WriteStartObject();
                    json.WriteString("role", line.Role);
                    json.WriteString("text", line.Text);
                    WriteTime(json, "timestamp", line.Timestamp);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>One line for a chat channel: who called, how it went, tags and summary.</summary>
    public static string Sentence(StepContext context, SimpleAiCall call)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Call {context.CallId}: {call.Direction ?? "call"} {call.FromNumber} → {call.ToNumber}");
        if (call.Duration is { } duration)
        {
            text.Append(CultureInfo.InvariantCulture, $", {TimeSpan.FromSeconds(duration):m\\:ss}");
        }

        text.Append(CultureInfo.InvariantCulture, $", answered by {call.AnsweredBy ?? "unknown"}");
        if (call.Summary?.Outcome is { } outcome)
        {
            text.Append(CultureInfo.InvariantCulture, $". Outcome: {outcome}");
        }

        if (call.Tags.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $". Tags: {string.Join(", ", call.Tags.Select(t => t.Name))}");
        }

        if (call.Summary?.Text is { } summary)
        {
            text.Append(CultureInfo.InvariantCulture, $". {summary}");
        }

        return text.ToString();
    }

    /// <summary>A time as the API wrote it: receivers and the README see the API's text, not a re-formatted value.</summary>
    private static void WriteTime(Utf8JsonWriter json, string name, ApiTimestamp? value)
    {
        if (value is { } time)
        {
            json.WriteString(name, time.Text);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteJson(Utf8JsonWriter json, JsonElement? value)
    {
        if (value is { } element && element.ValueKind != JsonValueKind.Undefined)
        {
            element.WriteTo(json);
        }
        else
        {
            json.WriteNullValue();
        }
    }
}
