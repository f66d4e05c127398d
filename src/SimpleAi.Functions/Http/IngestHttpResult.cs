using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using SimpleAi.Webhooks.Ingest;

namespace SimpleAi.Functions.Http;

/// <summary>
/// Writes an <see cref="IngestResult"/>: 202 with <c>{"status":"accepted","event_id"}</c>, or an RFC 9457
/// <c>application/problem+json</c> body with <c>Retry-After</c> or <c>Allow</c> where they apply.
/// </summary>
public sealed class IngestHttpResult(IngestResult result) : IActionResult
{
    public IngestResult Result { get; } = result;

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = Result.StatusCode;
        if (Result.Allow is not null)
        {
            response.Headers.Allow = Result.Allow;
        }

        if (Result.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return ProblemJson.WriteAsync(
            response, Result.Problem, new { status = "accepted", event_id = Result.EventId }, context.HttpContext.RequestAborted);
    }
}
