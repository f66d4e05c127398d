namespace SimpleAi.Webhooks.Workflow;

/// <summary>No run is ever deleted on purpose (the engine alone): a missing run is an unknown one.</summary>
public sealed class NoGoneRuns : IGoneRuns
{
    public Task<string?> WhyGoneAsync(string callId, DateTimeOffset? createdAt, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
