namespace SimpleAi.Webhooks.Actions.Transformations;

/// <summary>
/// What an action sends: method, URL, extra headers and body. The document the step built, or what a
/// transformation made of it; <see cref="SignedPoster"/> adds the signature and <c>Idempotency-Key</c> over it.
/// </summary>
public sealed record OutboundRequest(HttpMethod Method, Uri Url, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>A POST of <paramref name="body"/> with no extra headers: what every action sends without a transformation.</summary>
    public static OutboundRequest Post(Uri url, byte[] body) =>
        new(HttpMethod.Post, url, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), body);
}
