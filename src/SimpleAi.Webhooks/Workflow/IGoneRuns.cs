namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// Whether a run that is missing was deleted on purpose (its call purged by retention or erased on request), asked only
/// when a step message finds no run. A feature that deletes runs implements it; without one, no run is ever gone.
/// </summary>
public interface IGoneRuns
{
    /// <param name="createdAt">When the run was created, if the message carries it.</param>
    /// <returns>Why the call's data is gone ("erased on …"); null when it was not deleted on purpose.</returns>
    Task<string?> WhyGoneAsync(string callId, DateTimeOffset? createdAt, CancellationToken cancellationToken);
}
