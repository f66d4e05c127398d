using SimpleAi.Functions.Http;
using SimpleAi.Webhooks.Ingest;

namespace SimpleAi.Functions;

/// <summary>
/// <c>POST /api/webhooks/simple-ai</c>: verifies a Simple AI delivery and queues it. Anonymous at the Functions
/// level because the Standard Webhooks signature is the authentication. Every method reaches the function so that
/// anything but POST gets a 405 rather than the host's 404.
/// </summary>
public sealed class WebhookIngest(WebhookIngestService ingest)
{
    public const string Route = "webhooks/simple-ai";

    [Function(nameof(WebhookIngest))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, Route = Route)] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var result = await ingest.IngestAsync(
            new IngestRequest(
                request.Method,
                request.ContentType,
                request.ContentLength,
                request.Body,
                request.Headers.GetSingle,
                context.TraceContext?.TraceParent,
                context.TraceContext?.TraceState),
            request.HttpContext.RequestAborted);
        return JsonOrProblemResult.Of(result);
    }
}
