using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using SimpleAi.Webhooks.Ingest;
using SimpleAi.Webhooks.Outbound;

namespace SimpleAi.Functions.Http;

/// <summary>
/// Writes an RFC 9457 problem as ASP.NET Core's <see cref="ProblemDetails"/>: type, title, status, detail, and the field
/// or reason when known as extension members.
/// </summary>
internal static class ProblemJson
{
    public const string ContentType = "application/problem+json";

    public static ProblemDetails Of(int status, Problem problem)
    {
        var details = new ProblemDetails { Type = "about:blank", Title = problem.Title, Status = status, Detail = problem.Detail };
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

    /// <summary>
    /// The body: the problem when there is one, else <paramref name="success"/>, each with its content type. Serialised
    /// with explicit options, so it needs nothing from the request's services (the host's and the tests' alike).
    /// </summary>
    public static Task WriteAsync(HttpResponse response, Problem? problem, object success, CancellationToken cancellationToken) =>
        problem is null
            ? response.WriteAsJsonAsync(success, OutboundJson.SerializerOptions, "application/json", cancellationToken)
            : response.WriteAsJsonAsync(Of(response.StatusCode, problem), OutboundJson.SerializerOptions, ContentType, cancellationToken);
}
