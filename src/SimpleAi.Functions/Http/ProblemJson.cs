using System.Text.Json;
using SimpleAi.Webhooks.Ingest;

namespace SimpleAi.Functions.Http;

/// <summary>Writes an RFC 9457 problem: type, title, status, detail, and the field or reason when known.</summary>
internal static class ProblemJson
{
    public const string ContentType = "application/problem+json";

    public static void Write(Utf8JsonWriter writer, int status, Problem problem)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "about:blank");
        writer.WriteString("title", problem.Title);
        writer.WriteNumber("status", status);
        writer.WriteString("detail", problem.Detail);
        if (problem.Field is not null)
        {
            writer.WriteString("field", problem.Field);
        }

        if (problem.Reason is not null)
        {
            writer.WriteString("reason", problem.Reason);
        }

        writer.WriteEndObject();
    }
}
