namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// Where a step message is in deciding before it runs: deciding from the run its message carries (the version that
/// queued it, see <see cref="RunSnapshot"/>), or from the run as read, and how many claims it has lost to another
/// writer. Pure: <see cref="StepRunner"/> reads the run again when this says so.
/// </summary>
public readonly record struct ClaimRound(bool FromCarried, int LostClaims = 0)
{
    /// <summary>Claims lost to another writer in a row, on runs as read, before the try fails and the host retries it.</summary>
    public const int MaxLostClaims = 3;

    /// <summary>
    /// The carried run is trusted only to claim (a changed run fails the claim): any other decision made from it is
    /// made again from the run as read, without counting a round.
    /// </summary>
    public bool MustReadAgain(StepDecision decision) => FromCarried && decision.Action != StepAction.Run;

    /// <summary>
    /// After a claim lost to another writer (most likely a second copy of this message) or to a carried run that is
    /// no longer the stored version: the round that decides again from the run as read, or null when this try gives
    /// up. A claim lost on the carried run does not count.
    /// </summary>
    public ClaimRound? AfterLostClaim() => FromCarried
        ? new ClaimRound(FromCarried: false)
        : LostClaims + 1 < MaxLostClaims ? new ClaimRound(FromCarried: false, LostClaims + 1) : null;
}
