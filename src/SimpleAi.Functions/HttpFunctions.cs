using SimpleAi.Functions.Http;
using SimpleAi.Webhooks.Ingest;
using SimpleAi.Webhooks.PreCall;
using SimpleAi.Webhooks.Transcripts;

namespace SimpleAi.Functions;

/// <summary>
/// The HTTP functions, each adapting its request to one core service and the service's answer to a response (as
/// eShop's <c>CatalogApi</c> keeps a service's endpoints together). Routes are under host.json's <c>/api</c> prefix.
/// </summary>
public sealed class HttpFunctions(WebhookIngestService ingest, PreCallService preCall, TranscriptStore transcripts)
{
    public const string IngestRoute = "webhooks/simple-ai";
    public const string PreCallRoute = "precall";
    public const string TranscriptRoute = "calls/{callId}/transcript";

    /// <summary>
    /// <c>POST /api/webhooks/simple-ai</c>: verifies a Simple AI delivery and queues it (see <see cref="WebhookIngestService"/>).
    /// Anonymous at the Functions level because the Standard Webhooks signature is the authentication. Every method
    /// reaches the function so that anything but POST gets a 405 rather than the host's 404.
    /// </summary>
    [Function(nameof(WebhookIngest))]
    public async Task<IActionResult> WebhookIngest([HttpTrigger(AuthorizationLevel.Anonymous, Route = IngestRoute)] HttpRequest request, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var delivery = new IngestRequest(
            request.Method, request.ContentType, request.ContentLength, request.Body, request.Headers.GetSingle, context.TraceContext?.TraceParent, context.TraceContext?.TraceState);
        return JsonOrProblemResult.Of(await ingest.IngestAsync(delivery, request.HttpContext.RequestAborted));
    }

    /// <summary>
    /// <c>POST /api/precall</c>: Simple AI's pre-call hook asks for the caller's data (see <see cref="PreCallService"/>).
    /// Anonymous at the Functions level: the bearer token is the authentication.
    /// </summary>
    [Function(nameof(PreCallLookup))]
    public async Task<IActionResult> PreCallLookup([HttpTrigger(AuthorizationLevel.Anonymous, Route = PreCallRoute)] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = new PreCallRequest(
            request.Method, request.ContentType, request.ContentLength, request.Body, request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
            string.Equals(request.Query["explain"], "true", StringComparison.OrdinalIgnoreCase));
        return JsonOrProblemResult.Of(await preCall.HandleAsync(call, request.HttpContext.RequestAborted));
    }

    /// <summary>
    /// <c>GET /api/calls/{call_id}/transcript?since=N</c> (function key): the stored lines from index N on, and the index
    /// to ask from next, so a dashboard can poll a live transcript. 404 for a call nothing is known of.
    /// </summary>
    [Function(nameof(TranscriptRead))]
    public async Task<IActionResult> TranscriptRead([HttpTrigger(AuthorizationLevel.Function, "get", Route = TranscriptRoute)] HttpRequest request, string callId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Guid.TryParseExact(callId, "D", out _))
        {
            return Problem(400, "callId must be a UUID.");
        }

        var since = 0;
        if (request.Query.TryGetValue("since", out var text)
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out since)))
        {
            return Problem(400, "since must be a non-negative integer (a line index).");
        }

        var lines = await transcripts.ReadLinesAsync(callId, since, request.HttpContext.RequestAborted);
        if (lines is null)
        {
            return Problem(404, $"Nothing is known of call {callId}'s transcript.");
        }

        return new JsonResult(new
        {
            call_id = callId,
            lines = lines.Select(l => new { index = l.Index, role = l.Role, text = l.Text, timestamp = l.Timestamp }),
            next = lines.Count == 0 ? since : lines[^1].Index + 1,
        });
    }

    private static ObjectResult Problem(int status, string detail) =>
        new(new ProblemDetails { Status = status, Title = status == 404 ? "Not Found" : "Bad Request", Detail = detail }) { StatusCode = status };
}
