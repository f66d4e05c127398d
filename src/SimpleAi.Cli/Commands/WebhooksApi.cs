using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SimpleAi.Webhooks.Json;

namespace SimpleAi.Cli.Commands;

/// <summary>
/// Simple AI's webhooks API as <c>register</c> uses it: <c>POST {base}/webhooks</c> (documented), and
/// <c>GET {base}/webhooks</c> and <c>DELETE {base}/webhooks/{endpoint_id}</c> (assumed: the docs name only the first).
/// The key goes in <c>Authorization</c> as the app sends it (raw, or after a scheme). A failure is a
/// <see cref="WebhooksApiException"/> carrying a line a person can read and the exit code it means.
/// </summary>
internal sealed class WebhooksApi(Uri baseUrl, string apiKey, string? authScheme, TimeSpan timeout) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = new Uri(baseUrl.ToString().TrimEnd('/') + "/"),
        Timeout = timeout,
        DefaultRequestHeaders =
        {
            Accept = { new MediaTypeWithQualityHeaderValue("application/json") },
        },
    };

    public Task<JsonElement> CreateAsync(JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "webhooks", body, cancellationToken);

    public Task<JsonElement> ListAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "webhooks", null, cancellationToken);

    public Task<JsonElement> DeleteAsync(string endpointId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, "webhooks/" + Uri.EscapeDataString(endpointId), null, cancellationToken);

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", string.IsNullOrWhiteSpace(authScheme) ? apiKey : $"{authScheme.Trim()} {apiKey}");
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(OutboundJson.SerializerOptions), Encoding.UTF8, "application/json");
        }

        var what = $"{method} {new Uri(_http.BaseAddress!, path).AbsolutePath}";
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var cause = SendFailure.OfTransport(e, timeout, _http.BaseAddress!.Host).Error;
            throw new WebhooksApiException(
                ExitCodes.Unreachable, $"cannot reach the Simple AI API at {_http.BaseAddress}: {cause} (check --base-url and the network)");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw Refusal(response.StatusCode, response.ReasonPhrase, text, what);
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                return default;
            }

            try
            {
                using var json = JsonDocument.Parse(text);
                return json.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new WebhooksApiException(ExitCodes.Failed, $"the Simple AI API answered {what} with {(int)response.StatusCode} but not JSON: {OneLine(text)}");
            }
        }
    }

    private WebhooksApiException Refusal(HttpStatusCode status, string? reason, string body, string what)
    {
        var detail = Detail(body);
        var code = (int)status;
        return status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new WebhooksApiException(
                ExitCodes.ApiKeyRefused,
                $"the Simple AI API refused the API key ({code} {reason}{(detail is null ? string.Empty : ": " + detail)}); check --api-key (or SimpleAi__ApiKey)"
                + (string.IsNullOrWhiteSpace(authScheme) ? ", sent as the raw key: try --auth-scheme Bearer if yours needs it" : $", sent as '{authScheme.Trim()} <key>'")),
            HttpStatusCode.UnprocessableEntity => new WebhooksApiException(
                ExitCodes.ApiRejected, $"the Simple AI API rejected {what} (422): {detail ?? "no reason given"}"),
            _ => new WebhooksApiException(
                ExitCodes.Failed, $"the Simple AI API answered {what} with {code} {reason}{(detail is null ? string.Empty : ": " + detail)}"),
        };
    }

    /// <summary>
    /// The API's reason from an error body: <c>detail</c> as text, or FastAPI's list of <c>{loc, msg}</c> as
    /// <c>field: message</c> pairs, or <c>message</c>/<c>error</c>; else the body's start on one line.
    /// </summary>
    internal static string? Detail(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in new[] { "detail", "message", "error", "errors" })
                {
                    if (root.TryGetProperty(name, out var value) && Describe(value) is { Length: > 0 } described)
                    {
                        return described;
                    }
                }
            }
        }
        catch (JsonException)
        {
        }

        return OneLine(body);
    }

    private static string? Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Array => string.Join("; ", value.EnumerateArray().Select(Describe).Where(d => !string.IsNullOrEmpty(d))),
        JsonValueKind.Object when value.TryGetProperty("msg", out var msg) || value.TryGetProperty("message", out msg) =>
            value.TryGetProperty("loc", out var loc) && loc.ValueKind == JsonValueKind.Array && loc.GetArrayLength() > 0
                ? $"{string.Join('.', loc.EnumerateArray().Select(l => l.ToString()).SkipWhile(l => l == "body"))}: {msg}"
                : msg.ToString(),
        JsonValueKind.Object or JsonValueKind.Array => value.GetRawText(),
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        _ => value.GetRawText(),
    };

    private static string OneLine(string text)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= SendFailure.BodyCharacters ? line : line[..SendFailure.BodyCharacters] + "…";
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The Simple AI webhooks API could not do what <c>register</c> asked: one line to print, and the exit code it means.</summary>
internal sealed class WebhooksApiException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
