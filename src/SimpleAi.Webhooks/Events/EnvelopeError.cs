namespace SimpleAi.Webhooks.Events;

/// <summary>Why a body is not a usable envelope, naming the JSON field (<c>$</c> for the body as a whole).</summary>
public sealed record EnvelopeError(string Field, string Detail);
