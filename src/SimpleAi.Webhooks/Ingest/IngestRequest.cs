namespace SimpleAi.Webhooks.Ingest;

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
