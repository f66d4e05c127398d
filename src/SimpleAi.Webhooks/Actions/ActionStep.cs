using System.Net;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Actions.Transformations;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.Signing;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Actions;

/// <summary>
/// An action: POST a document derived from the fetched call to the step's endpoint, with
/// <c>Idempotency-Key: {call_id}:{step}</c> and a Standard Webhooks signature made with the step's own secret
/// (<c>webhook-id</c> is the idempotency key, so a receiver can dedupe either way). 2xx completes the step;
/// 408, 429, 5xx and timeouts fail the try (the host retries); any other status fails the step for good.
/// </summary>
public abstract class ActionStep(
    string name,
    IHttpClientFactory clients,
    IOptionsMonitor<ActionEndpointOptions> endpoints,
    CallSnapshotStore snapshots,
    TimeProvider time) : IWorkflowStep
{
    public const string HttpClientName = "actions";

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = endpoints.Get(name);
        var url = endpoint.Url ?? throw new PermanentStepFailureException($"Actions:{name}:Url is not set");
        if (!context.Data.TryGetValue(CallFacts.Snapshot, out var snapshot))
        {
            throw new PermanentStepFailureException($"step '{name}' needs '{FetchCallStep.Name}' to run before it");
        }

        var call = await snapshots.LoadAsync(snapshot, cancellationToken);
        var request = OutboundRequest.Post(url, OutboundFormats.Build(endpoint.Format, context, call, endpoint.IncludeTranscript));
        if (endpoint.Transformation is { } transformation)
        {
            if (transformation.Apply(request, cancellationToken) is not { } transformed)
            {
                return StepResult.Skip($"cancelled by transformation {transformation.Name}");
            }

            (request, url) = (transformed, transformed.Url);
        }

        HttpResponseMessage response;
        try
        {
            response = await SignedPoster.SendAsync(
                clients.CreateClient(HttpClientName), request, WebhookSecret.Parse(endpoint.Secret), context.IdempotencyKey,
                TimeSpan.FromSeconds(endpoint.TimeoutSeconds), time, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or HttpRequestException)
        {
            throw new HttpRequestException($"the {name} endpoint: {e.Message}", e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new StepResult(new Dictionary<string, string> { [$"{name}:status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }

            var reason = $"the {name} endpoint ({url.Host}) answered {status} {response.ReasonPhrase}";
            if (response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || status >= 500)
            {
                throw new HttpRequestException(reason + "; the host retries", null, response.StatusCode);
            }

            var excerpt = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new PermanentStepFailureException(
                $"{reason}: {(excerpt.Length > 200 ? excerpt[..200] + "…" : excerpt)}");
        }
    }
}
