using SimpleAi.Webhooks.Ingest;
using SimpleAi.Webhooks.Json;
using SimpleAi.Webhooks.PreCall;

namespace SimpleAi.Functions.Http;

/// <summary>
/// A core service's answer as HTTP: the status, the success body as <c>application/json</c> or the problem as an RFC 9457
/// <c>application/problem+json</c> body (ASP.NET Core's <see cref="ProblemDetails"/>), and <c>Allow</c> and
/// <c>Retry-After</c> where they apply. Serialised with explicit options, so it needs nothing from the request's services
/// (the host's and the tests' alike).
/// </summary>
public sealed class JsonOrProblemResult(int statusCode, Problem? problem, object success) : IActionResult
{
    public const string ProblemContentType = "application/problem+json";

    /// <summary>The <c>Allow</c> header of a 405.</summary>
    public string? Allow { get; init; }

    /// <summary>The <c>Retry-After</c> header, in whole seconds rounded up.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>202 with <c>{"status":"accepted","event_id"}</c>, or a problem.</summary>
    public static JsonOrProblemResult Of(IngestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(result.StatusCode, result.Problem, new { status = "accepted", event_id = result.EventId })
        {
            Allow = result.Allow,
            RetryAfter = result.RetryAfter,
        };
    }

    /// <summary><c>{"parameters":{…}}</c> (with <c>"journey"</c> when the report was asked for), or a problem.</summary>
    public static JsonOrProblemResult Of(PreCallResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var parameters = result.Parameters ?? new Dictionary<string, string>();
        return new(result.StatusCode, result.Problem, result.Report is null ? new { parameters } : new { parameters, journey = Journey(result.Report) })
        {
            Allow = result.StatusCode == 405 ? "POST" : null,
        };
    }

    /// <summary>The journey's report in the answer's snake_case: each source's outcome and time, each rule's, the transformation's.</summary>
    private static object Journey(PreCallReport report) => new
    {
        sources = report.Sources.Select(s => new { source = s.Source, outcome = s.Outcome, milliseconds = Math.Round(s.Milliseconds, 1), detail = s.Detail }),
        rules = report.Rules.Select(r => new { parameter = r.Parameter, outcome = r.Outcome, rule = r.Rule, reason = r.Reason }),
        transform = report.Transform,
        milliseconds = Math.Round(report.Milliseconds, 1),
    };

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = statusCode;
        if (Allow is not null)
        {
            response.Headers.Allow = Allow;
        }

        if (RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var cancellationToken = context.HttpContext.RequestAborted;
        return problem is null
            ? response.WriteAsJsonAsync(success, OutboundJson.SerializerOptions, "application/json", cancellationToken)
            : response.WriteAsJsonAsync(Details(problem), OutboundJson.SerializerOptions, ProblemContentType, cancellationToken);
    }

    /// <summary>Type, title, status, detail, and the field or reason when known as extension members.</summary>
    private ProblemDetails Details(Problem problem)
    {
        var details = new ProblemDetails { Type = "about:blank", Title = problem.Title, Status = statusCode, Detail = problem.Detail };
        if (problem.Field is not null)
        {
            details.Extensions["field"] = problem.Field;
        }

        if (problem.Reason is not null)
        {
            details.Extensions["reason"] = problem.Reason;
        }

        return details;
    }
}
