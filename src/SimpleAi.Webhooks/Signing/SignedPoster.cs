using System.Net.Http.Headers;
namespace SimpleAi.Webhooks.Signing;

/// <summary>
/// Sends a request with <c>Idempotency-Key</c> and a Standard Webhooks signature (<c>webhook-id</c> = the key) over
/// its exact body, within a time budget. The request's own headers go first; the signature and key are set last, so
/// ours win. A timeout or a connection failure is reported naming only the endpoint's host.
/// </summary>
public static class SignedPoster
{
    /// <summary>The named HTTP client of the app's own deliveries: the action steps and the forward of <c>call.started</c>.</summary>
    public const string DeliveriesClientName = "actions";

    /// <summary>The most time one delivery may be given, in seconds.</summary>
    public const int MaxTimeoutSeconds = 120;

    private const string JsonContentType = "application/json";

    /// <summary>POSTs a JSON <paramref name="body"/> to <paramref name="url"/>.</summary>
    public static Task<HttpResponseMessage> PostAsync(
        HttpClient client, Uri url, WebhookSecret secret, string idempotencyKey, byte[] body, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        SendAsync(client, OutboundRequest.Post(url, body), secret, idempotencyKey, timeout, time, cancellationToken);

    /// <summary>Sends <paramref name="outbound"/> (method, URL, headers, body: what a transformation returned) signed.</summary>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient client, OutboundRequest outbound, WebhookSecret secret, string idempotencyKey, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(outbound);
        ArgumentNullException.ThrowIfNull(time);
        var url = outbound.Url;
        var signature = StandardWebhookSigner.Sign(secret, idempotencyKey, time.GetUtcNow().ToUnixTimeSeconds(), outbound.Body);
        using var request = new HttpRequestMessage(outbound.Method, url)
        {
            Content = new ByteArrayContent(outbound.Body) { Headers = { ContentType = new MediaTypeHeaderValue(JsonContentType) } },
        };
        foreach (var (name, value) in outbound.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                // Content headers (Content-Type, Content-Language, …) belong to the content.
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        Set(request.Headers, "Idempotency-Key", idempotencyKey);
        Set(request.Headers, WebhookHeaders.IdName, signature.Id);
        Set(request.Headers, WebhookHeaders.TimestampName, signature.Timestamp);
        Set(request.Headers, WebhookHeaders.SignatureName, signature.Signature);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(timeout);
        try
        {
            return await client.SendAsync(request, budget.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{url.Host} did not answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException($"{url.Host} is unreachable: {e.HttpRequestError}", null, e.StatusCode);
        }
    }

    private static void Set(HttpRequestHeaders headers, string name, string? value)
    {
        headers.Remove(name);
        headers.Add(name, value);
    }
}

/// <summary>
/// What an action sends: method, URL, extra headers and body. The document the step built, or what a
/// transformation made of it; <see cref="SignedPoster"/> adds the signature and <c>Idempotency-Key</c> over it.
/// </summary>
public sealed record OutboundRequest(HttpMethod Method, Uri Url, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>A POST of <paramref name="body"/> with no extra headers: what every action sends without a transformation.</summary>
    public static OutboundRequest Post(Uri url, byte[] body) =>
        new(HttpMethod.Post, url, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), body);
}
