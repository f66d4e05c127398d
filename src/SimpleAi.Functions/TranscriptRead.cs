using SimpleAi.Webhooks.Transcripts;

namespace SimpleAi.Functions;

/// <summary>
/// <c>GET /api/calls/{call_id}/transcript?since=N</c> (function key): the stored lines from index N on, and the index
/// to ask from next, so a dashboard can poll a live transcript. 404 for a call nothing is known of.
/// </summary>
public sealed class TranscriptRead(TranscriptStore transcripts)
{
    public const string Route = "calls/{callId}/transcript";

    [Function(nameof(TranscriptRead))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Route)] HttpRequest request, string callId)
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
