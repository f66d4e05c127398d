using System.Text.Json;
using SimpleAi.Webhooks.Json;

namespace SimpleAi.Functions.Http;

/// <summary>
/// A console answer: JSON (snake_case, the app's encoder), a problem, or a static file, always with the console's
/// security headers: a Content-Security-Policy that allows only the app's own scripts, styles and requests (no inline
/// script, no framing), no MIME sniffing, no referrer, and no caching of JSON (it holds personal data).
/// </summary>
public sealed class ConsoleResult(int statusCode, string contentType, ReadOnlyMemory<byte> body, bool cacheable = false) : IActionResult
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly JsonSerializerOptions Json = new(OutboundJson.SerializerOptions) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public int StatusCode => statusCode;

    public static ConsoleResult Of(object value, int statusCode = 200) =>
        new(statusCode, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(value, Json));

    public static ConsoleResult Problem(int statusCode, string detail) =>
        new(statusCode, JsonOrProblemResult.ProblemContentType, JsonSerializer.SerializeToUtf8Bytes(new { status = statusCode, detail }, Json));

    public static ConsoleResult File(string contentType, byte[] body) => new(200, contentType, body, cacheable: true);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = contentType;
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.CacheControl = cacheable ? "no-cache" : "no-store";
        await response.Body.WriteAsync(body, context.HttpContext.RequestAborted);
    }
}
