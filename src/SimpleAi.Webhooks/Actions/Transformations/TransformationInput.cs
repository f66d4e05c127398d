using System.Text;
using SimpleAi.Webhooks.Json;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Webhooks.Actions.Transformations;

/// <summary>
/// The <c>webhook</c> a handler receives, as JSON text for the engine's own JSON parser (no CLR object crosses into
/// the script): <c>{ method, url, headers, payload }</c>, the payload being the document's bytes as they are.
/// </summary>
internal static class TransformationInput
{
    public static string Json(OutboundRequest request)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, OutboundJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("method", request.Method.Method);
            json.WriteString("url", request.Url.ToString());
            json.WriteStartObject("headers");
            foreach (var (name, value) in request.Headers)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WritePropertyName("payload");
            json.WriteRawValue(request.Body);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
