namespace SimpleAi.Webhooks.Destinations;

/// <summary>
/// The gate's decisions, pure: a destination's state and an outcome in, the state to write (null: nothing to write) out.
/// <see cref="DestinationGate"/> carries them out with ETag-conditional writes.
/// </summary>
public static class DestinationRules
{
    /// <summary>The first probe after a pause comes this long after it; each failed probe doubles the delay.</summary>
    public static readonly TimeSpan FirstProbeDelay = TimeSpan.FromSeconds(30);

    /// <summary>The longest delay between probes (30 s, 1, 2, 4, 8 min, then every 10 min).</summary>
    public static readonly TimeSpan MaxProbeDelay = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a probe's claim keeps other deliveries from probing, at least: longer than an action's timeout (10 s by
    /// default), so only a claimer that vanished (its instance died) loses it, and then the next delivery probes. A
    /// destination whose timeout is longer gets twice its timeout (<see cref="ProbeLeaseFor"/>).
    /// </summary>
    public static readonly TimeSpan ProbeLease = TimeSpan.FromMinutes(2);

    /// <summary>The probe lease of a destination whose deliveries time out after <paramref name="actionTimeout"/>.</summary>
    public static TimeSpan ProbeLeaseFor(TimeSpan actionTimeout) => actionTimeout * 2 > ProbeLease ? actionTimeout * 2 : ProbeLease;

    /// <summary>The shortest wait the gate asks for, so a probe that is just due is not asked for in a tight loop.</summary>
    public static readonly TimeSpan MinWait = TimeSpan.FromSeconds(1);

    /// <summary>Longest failure reason kept on the row and in the log.</summary>
    public const int MaxReasonLength = 300;

    /// <summary>Before a delivery: go when active; when paused, wait, unless the probe is due and nobody holds it (then claim it).</summary>
    public static (GateDecision Decision, DestinationState? Claim) Before(
        DestinationState state, string deliveryId, DateTimeOffset now, TimeSpan recheck, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.IsPaused)
        {
            return (GateDecision.Go, null);
        }

        if (state.PausedBy == DestinationPausedBy.Operator)
        {
            return (Wait(recheck, recheck, $"destination {state.Name} is paused by an operator{(state.PauseReason is { Length: > 0 } r ? ": " + r : string.Empty)}"), null);
        }

        var paused = $"destination {state.Name} is paused after {state.FailureStreak} failures in a row (last: {state.LastError})";
        if (state.ProbeClaimedBy is { Length: > 0 } holder && holder != deliveryId && state.ProbeClaimedAt is { } claimedAt && now - claimedAt < lease)
        {
            return (Wait(claimedAt + lease - now, recheck, paused + "; a probe is under way"), null);
        }

        var probeAt = state.NextProbeAt ?? now;
        if (now < probeAt)
        {
            return (Wait(probeAt - now, recheck, $"{paused}; next probe at {probeAt:O}"), null);
        }

        return (
            new GateDecision(GateAction.Probe, TimeSpan.Zero, paused + "; this delivery probes"),
            state with { ProbeClaimedBy = deliveryId, ProbeClaimedAt = now });
    }

    /// <summary>
    /// How often a healthy destination's successes are written (its <see cref="DestinationState.LastSuccessAt"/>): at most
    /// once per this interval, so deliveries to a healthy destination cost no write each (with the gate's cache, no
    /// storage request at all in between). A success that ends a streak or a pause is written at once.
    /// </summary>
    public static readonly TimeSpan SuccessRecordInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// After a 2xx: a destination paused by failures resumes (whether or not this was its probe: it answers); a streak
    /// resets; the last error stays as the past one (with its time) and the success is recorded, on a healthy
    /// destination once per <see cref="SuccessRecordInterval"/>.
    /// </summary>
    public static (DestinationState? Next, DestinationChange Change) Succeeded(DestinationState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.PausedBy == DestinationPausedBy.Operator)
        {
            return (null, DestinationChange.None);
        }

        if (state.IsPaused)
        {
            return (Active(state) with { LastSuccessAt = now }, DestinationChange.Resumed);
        }

        return state.FailureStreak > 0 || state.LastSuccessAt is not { } last || now - last >= SuccessRecordInterval
            ? (state with { FailureStreak = 0, LastSuccessAt = now }, DestinationChange.None)
            : (null, DestinationChange.None);
    }

    /// <summary>
    /// After a retryable failure: the streak grows and pauses the destination at <paramref name="pauseAfter"/>, with its
    /// first probe <paramref name="firstProbe"/> later (default <see cref="FirstProbeDelay"/>); a failed probe sets the
    /// next one later (doubling up to <see cref="MaxProbeDelay"/>). Other deliveries' failures while
    /// paused change nothing (they were let through before the pause).
    /// </summary>
    public static (DestinationState? Next, DestinationChange Change) Failed(
        DestinationState state, string reason, bool wasProbe, DateTimeOffset now, int pauseAfter, TimeSpan? firstProbe = null)
    {
        var first = firstProbe ?? FirstProbeDelay;
        ArgumentNullException.ThrowIfNull(state);
        if (state.PausedBy == DestinationPausedBy.Operator || (state.IsPaused && !wasProbe))
        {
            return (null, DestinationChange.None);
        }

        var failed = state with { FailureStreak = state.FailureStreak + 1, LastError = reason, LastFailureAt = now };
        if (state.IsPaused)
        {
            var delay = TimeSpan.FromTicks(Math.Min(Math.Max(state.ProbeDelay.Ticks, first.Ticks) * 2, MaxProbeDelay.Ticks));
            return (failed with { ProbeDelay = delay, NextProbeAt = now + delay, ProbeClaimedBy = null, ProbeClaimedAt = null }, DestinationChange.None);
        }

        if (failed.FailureStreak < pauseAfter)
        {
            return (failed, DestinationChange.None);
        }

        return (
            failed with
            {
                Status = DestinationStatus.Paused,
                PausedBy = DestinationPausedBy.Failures,
                PausedAt = now,
                PauseReason = reason,
                ProbeDelay = first,
                NextProbeAt = now + first,
                ProbeClaimedBy = null,
                ProbeClaimedAt = null,
            },
            DestinationChange.Paused);
    }

    /// <summary>An operator's pause: no probes until an operator resumes it. Pausing again updates the reason.</summary>
    public static (DestinationState Next, DestinationChange Change) Pause(DestinationState state, string reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var change = state.PausedBy == DestinationPausedBy.Operator ? DestinationChange.None : DestinationChange.Paused;
        return (
            state with
            {
                Status = DestinationStatus.Paused,
                PausedBy = DestinationPausedBy.Operator,
                PausedAt = change == DestinationChange.Paused ? now : state.PausedAt,
                PauseReason = reason,
                NextProbeAt = null,
                ProbeClaimedBy = null,
                ProbeClaimedAt = null,
            },
            change);
    }

    /// <summary>An operator's resume: active with a fresh streak, whoever paused it; nothing to write when it is active.</summary>
    public static (DestinationState? Next, DestinationChange Change) Resume(DestinationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.IsPaused ? (Active(state), DestinationChange.Resumed) : (null, DestinationChange.None);
    }

    private static DestinationState Active(DestinationState state) => state with
    {
        Status = DestinationStatus.Active,
        PausedBy = null,
        PausedAt = null,
        PauseReason = null,
        FailureStreak = 0,
        NextProbeAt = null,
        ProbeDelay = TimeSpan.Zero,
        ProbeClaimedBy = null,
        ProbeClaimedAt = null,
    };

    private static GateDecision Wait(TimeSpan until, TimeSpan recheck, string reason) =>
        new(GateAction.Wait, until < MinWait ? MinWait : until > recheck ? recheck : until, reason);
}

/// <summary>Whether an outcome changed a destination's state (the metric and the log follow the write).</summary>
public enum DestinationChange
{
    None,
    Paused,
    Resumed,
}
