using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Webhooks.Ingest;

/// <summary>The receiver's answer: 202 with the event id once enqueued, or a status with a problem.</summary>
public sealed record IngestResult(int StatusCode, string? EventId = null, Problem? Problem = null)
{
    public TimeSpan? RetryAfter { get; init; }

    public bool IsAccepted => StatusCode == 202;

    /// <summary>The <c>Allow</c> header of a 405.</summary>
    public string? Allow { get; init; }

    public static IngestResult Accepted(string eventId) => new(202, eventId);

    public static IngestResult MethodNotAllowed(string method) =>
        new(405, Problem: new Problem("Method Not Allowed", $"{method} is not supported: send the webhook with POST."))
        {
            Allow = "POST",
        };

    public static IngestResult UnsupportedMediaType(string detail) =>
        new(415, Problem: new Problem("Unsupported Media Type", detail));

    public static IngestResult TooLarge(long limit) =>
        new(413, Problem: new Problem("Content Too Large", $"The body is larger than the {limit}-byte limit."));

    public static IngestResult BadRequest(string field, string detail) =>
        new(400, Problem: new Problem("Bad Request", detail, field));

    public static IngestResult Unauthorized(SignatureVerification verification) =>
        new(401, Problem: new Problem(
            "Unauthorized",
            $"Signature verification failed: {verification.Reason}.",
            Reason: verification.Failure.ToString()));

    public static IngestResult QueueUnavailable(TimeSpan retryAfter) =>
        new(503, Problem: new Problem("Service Unavailable", "The event could not be queued; it was not accepted. Retry later."))
        {
            RetryAfter = retryAfter,
        };
}

/// <summary>What the receiver needs of an HTTP request, free of any web framework type.</summary>
/// <param name="Header">Returns a header's value, or null when it is absent.</param>
/// <param name="TraceParent">The W3C trace context of the invocation, when the host supplies one.</param>
public sealed record IngestRequest(
    string Method,
    string? ContentType,
    long? ContentLength,
    Stream Body,
    Func<string, string?> Header,
    string? TraceParent = null,
    string? TraceState = null);

/// <summary>An RFC 9457 problem: why a request was refused, naming the field or the signature failure when known.</summary>
public sealed record Problem(string Title, string Detail, string? Field = null, string? Reason = null);
