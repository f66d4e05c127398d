using System.Net;

namespace SimpleAi.Webhooks.SimpleAiApi;

/// <summary>
/// The Simple AI REST API: <c>GET {base}/calls/{uuid}</c>. Timeouts and retries (transient errors, 408, 429 and
/// 5xx, honouring Retry-After; never other 4xx) come from the resilience handler the DI registration adds.
/// </summary>
public sealed class SimpleAiClient(HttpClient http)
{
    /// <summary>How the API's JSON reads: its names are the snake_case of <see cref="SimpleAiCall"/>'s properties.</summary>
    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The call and its raw JSON (kept as the snapshot, byte for byte).</summary>
    /// <exception cref="SimpleAiApiException">404, another non-success status, or a body that is not a call.</exception>
    public async Task<(SimpleAiCall Call, byte[] Json)> GetCallAsync(Guid callId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"calls/{callId:D}", UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new SimpleAiApiException($"Simple AI has no call {callId:D} (404).", 404);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new SimpleAiApiException(
                $"Simple AI answered {(int)response.StatusCode} {response.ReasonPhrase} for call {callId:D}.", (int)response.StatusCode);
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        try
        {
            var call = JsonSerializer.Deserialize<SimpleAiCall>(body, JsonOptions)
                ?? throw new SimpleAiApiException($"Simple AI answered JSON null for call {callId:D}.", 200);
            return (call, body);
        }
        catch (JsonException e)
        {
            throw new SimpleAiApiException($"Simple AI's answer for call {callId:D} is not a call: {e.Message}", 200, e);
        }
    }
}
