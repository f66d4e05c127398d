namespace SimpleAi.Webhooks.PreCall;

/// <summary>What the lookup needs of the HTTP request, free of any web framework type.</summary>
public sealed record PreCallRequest(string Method, string? ContentType, long? ContentLength, Stream Body, string? Authorization);
