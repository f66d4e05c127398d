namespace SimpleAi.Webhooks.PreCall;

/// <summary>
/// What the lookup needs of the HTTP request, free of any web framework type. <paramref name="Explain"/>: the request
/// asked for the journey's report with the parameters (<c>?explain=true</c>).
/// </summary>
public sealed record PreCallRequest(string Method, string? ContentType, long? ContentLength, Stream Body, string? Authorization, bool Explain = false);
