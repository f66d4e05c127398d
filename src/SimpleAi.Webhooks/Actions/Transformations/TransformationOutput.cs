using System.Runtime.InteropServices;
using System.Text;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Webhooks.Actions.Transformations;

/// <summary>
/// Reads what a handler returned (as the engine's <c>JSON.stringify</c> wrote it): <c>{ cancel: true }</c>, or a
/// request with method POST, PUT or PATCH, an absolute http(s) URL, string headers other than the ones the app sets
/// itself, and a payload that is an object or array (sent as that JSON, UTF-8, as the engine wrote it) or a string
/// (sent as it is).
/// </summary>
internal static class TransformationOutput
{
    /// <summary>Headers the app owns: the signature, the idempotency key, and what the HTTP stack sets.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "webhook-id", "webhook-timestamp", "webhook-signature", "Idempotency-Key", "Content-Length", "Host",
    };

    private static readonly IReadOnlySet<string> Methods = new HashSet<string>(StringComparer.Ordinal) { "POST", "PUT", "PATCH" };

    /// <returns>The request; null with no <paramref name="problem"/> when the handler cancelled the delivery.</returns>
    public static OutboundRequest? Read(string returned, out string? problem)
    {
        problem = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(returned);
        }
        catch (JsonException)
        {
            // Only a script that replaced JSON.stringify gets here.
            problem = "returned something JSON.stringify did not turn into JSON";
            return null;
        }

        using var owned = document;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = "returned no object (return the webhook, changed, or { cancel: true })";
            return null;
        }

        if (root.TryGetProperty("cancel", out var cancel) && cancel.ValueKind == JsonValueKind.True)
        {
            return null;
        }

        var method = root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()!.ToUpperInvariant() : null;
        if (method is null || !Methods.Contains(method))
        {
            problem = "returned a method other than POST, PUT or PATCH";
            return null;
        }

        if (!root.TryGetProperty("url", out var u) || u.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(u.GetString(), UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            problem = "returned a url that is not an absolute http(s) URL";
            return null;
        }

        var headers = Headers(root, out problem);
        var body = headers is null ? null : Payload(root, out problem);
        return body is null ? null : new OutboundRequest(new HttpMethod(method), url, headers!, body);
    }

    private static Dictionary<string, string>? Headers(JsonElement root, out string? problem)
    {
        problem = null;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!root.TryGetProperty("headers", out var given) || given.ValueKind is JsonValueKind.Null)
        {
            return headers;
        }

        if (given.ValueKind != JsonValueKind.Object)
        {
            problem = "returned headers that are not an object";
            return null;
        }

        foreach (var header in given.EnumerateObject())
        {
            if (Reserved.Contains(header.Name))
            {
                problem = $"set the header {header.Name}, which the app sets itself";
                return null;
            }

            if (header.Value.ValueKind != JsonValueKind.String || !IsToken(header.Name) || header.Value.GetString()!.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                problem = $"returned the header '{header.Name}' with a name or value HTTP cannot carry (values are strings)";
                return null;
            }

            headers[header.Name] = header.Value.GetString()!;
        }

        return headers;
    }

    private static byte[]? Payload(JsonElement root, out string? problem)
    {
        problem = null;
        if (root.TryGetProperty("payload", out var payload))
        {
            switch (payload.ValueKind)
            {
                case JsonValueKind.Object or JsonValueKind.Array:
                    return JsonMarshal.GetRawUtf8Value(payload).ToArray();
                case JsonValueKind.String:
                    return Encoding.UTF8.GetBytes(payload.GetString()!);
            }
        }

        problem = "returned a payload that is not an object, an array or a string";
        return null;
    }

    private static bool IsToken(string name) =>
        name.Length > 0 && name.All(c => c is > ' ' and < (char)127 && !"()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal));
}
