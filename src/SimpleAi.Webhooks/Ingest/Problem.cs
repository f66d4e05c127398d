namespace SimpleAi.Webhooks.Ingest;

/// <summary>An RFC 9457 problem: why a request was refused, naming the field or the signature failure when known.</summary>
public sealed record Problem(string Title, string Detail, string? Field = null, string? Reason = null);
