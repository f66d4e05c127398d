namespace SimpleAi.Webhooks.Lifecycle;

/// <summary>A blob a call left.</summary>
public sealed record StoredBlob(string Container, string Name);
