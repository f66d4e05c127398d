using System.Net.Http.Headers;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Webhooks.Actions;

/// <summary>
/// POSTs a JSON body with <c>Idempotency-Key</c> and a Standard Webhooks signature (<c>webhook-id</c> = the key),
/// within a time budget. A timeout or a connection failure is reported naming only the endpoint's host.
/// </summary>
public static class SignedPoster
{
    public static async Task<HttpResponseMessage> PostAsync(
        HttpClient client, Uri url, WebhookSecret secret, string idempotencyKey, byte[] body, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(url);
        var signature = StandardWebhookSigner.Sign(secret, idempotencyKey, time.GetUtcNow().ToUnixTimeSeconds(), body);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        request.Headers.Add(WebhookHeaders.IdName, signature.Id);
        request.Headers.Add(WebhookHeaders.TimestampName, signature.Timestamp);
        request.Headers.Add(WebhookHeaders.SignatureName, signature.Signature);
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
}
