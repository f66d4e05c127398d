using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Lifecycle;

/// <summary>A missing run is gone when its call was erased, or the run it carried was created before the retention watermark.</summary>
public sealed class LifecycleGoneRuns(LifecycleRecords records) : IGoneRuns
{
    public async Task<string?> WhyGoneAsync(string callId, DateTimeOffset? createdAt, CancellationToken cancellationToken) =>
        (await records.GoneAsync(callId, createdAt, cancellationToken))?.ToString();
}
