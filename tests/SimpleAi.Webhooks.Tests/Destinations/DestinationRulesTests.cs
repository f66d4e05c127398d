using SimpleAi.Webhooks.Destinations;

namespace SimpleAi.Webhooks.Tests.Destinations;

/// <summary>The gate's pure decisions, state by state.</summary>
public sealed class DestinationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(60);

    private static readonly DestinationState Active = DestinationState.New("crm-sync");

    private static readonly DestinationState PausedByFailures = Active with
    {
        Status = DestinationStatus.Paused,
        PausedBy = DestinationPausedBy.Failures,
        PausedAt = Now.AddMinutes(-5),
        FailureStreak = 20,
        LastError = "503 Service Unavailable",
        ProbeDelay = TimeSpan.FromMinutes(4),
        NextProbeAt = Now.AddSeconds(10),
    };

    private static readonly DestinationState PausedByOperator = Active with
    {
        Status = DestinationStatus.Paused,
        PausedBy = DestinationPausedBy.Operator,
        PausedAt = Now.AddMinutes(-5),
        PauseReason = "maintenance",
    };

    public static TheoryData<string, DestinationState, GateAction, double, bool> BeforeCases() => new()
    {
        { "active", Active, GateAction.Go, 0, false },
        { "active with a streak", Active with { FailureStreak = 19 }, GateAction.Go, 0, false },
        { "paused, probe in 10 s", PausedByFailures, GateAction.Wait, 10, false },
        { "paused, probe in 2 h: wait the recheck time", PausedByFailures with { NextProbeAt = Now.AddHours(2) }, GateAction.Wait, 60, false },
        { "paused, probe due", PausedByFailures with { NextProbeAt = Now }, GateAction.Probe, 0, true },
        { "paused, probe due, another holds it for 90 s more", PausedByFailures with { NextProbeAt = Now.AddSeconds(-30), ProbeClaimedBy = "other", ProbeClaimedAt = Now.AddSeconds(-30) }, GateAction.Wait, 60, false },
        { "paused, probe held 119.5 s ago: at least 1 s", PausedByFailures with { NextProbeAt = Now.AddMinutes(-2), ProbeClaimedBy = "other", ProbeClaimedAt = Now.AddSeconds(-119.5) }, GateAction.Wait, 1, false },
        { "paused, the lease ran out", PausedByFailures with { NextProbeAt = Now.AddMinutes(-3), ProbeClaimedBy = "other", ProbeClaimedAt = Now.AddMinutes(-2) }, GateAction.Probe, 0, true },
        { "paused, this delivery holds the probe", PausedByFailures with { NextProbeAt = Now.AddSeconds(-5), ProbeClaimedBy = "me", ProbeClaimedAt = Now.AddSeconds(-5) }, GateAction.Probe, 0, true },
        { "paused by an operator, long ago", PausedByOperator with { PausedAt = Now.AddDays(-3) }, GateAction.Wait, 60, false },
    };

    [Theory]
    [MemberData(nameof(BeforeCases))]
    public void Before_DecidesByState(string scenario, DestinationState state, GateAction action, double waitSeconds, bool claims)
    {
        var (decision, claim) = DestinationRules.Before(state, "me", Now, Recheck, DestinationRules.ProbeLease);

        Assert.True(action == decision.Action, scenario);
        Assert.Equal(TimeSpan.FromSeconds(waitSeconds), decision.Wait);
        Assert.Equal(claims, claim is not null);
        Assert.True(claim is null || (claim.ProbeClaimedBy == "me" && claim.ProbeClaimedAt == Now), scenario);
    }

    [Fact]
    public void AProbeLease_OutlastsTheActionsTimeout()
    {
        var held = PausedByFailures with { NextProbeAt = Now.AddMinutes(-5), ProbeClaimedBy = "other", ProbeClaimedAt = Now.AddMinutes(-5) };

        var (decision, _) = DestinationRules.Before(held, "me", Now, Recheck, DestinationRules.ProbeLeaseFor(TimeSpan.FromMinutes(3)));

        Assert.Equal(DestinationRules.ProbeLease, DestinationRules.ProbeLeaseFor(TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.FromMinutes(6), DestinationRules.ProbeLeaseFor(TimeSpan.FromMinutes(3)));
        Assert.Equal(GateAction.Wait, decision.Action);
    }

    public static TheoryData<string, DestinationState, bool, DestinationChange, int, bool> FailedCases() => new()
    {
        { "first failure", Active, false, DestinationChange.None, 1, true },
        { "19th failure", Active with { FailureStreak = 18 }, false, DestinationChange.None, 19, true },
        { "20th failure pauses", Active with { FailureStreak = 19 }, false, DestinationChange.Paused, 20, true },
        { "another delivery's failure while paused writes nothing", PausedByFailures, false, DestinationChange.None, 20, false },
        { "a failed probe", PausedByFailures, true, DestinationChange.None, 21, true },
        { "a failure while an operator holds it writes nothing", PausedByOperator, true, DestinationChange.None, 0, false },
    };

    [Theory]
    [MemberData(nameof(FailedCases))]
    public void Failed_CountsAndPauses(string scenario, DestinationState state, bool wasProbe, DestinationChange change, int streak, bool writes)
    {
        var (next, actual) = DestinationRules.Failed(state, "503 Service Unavailable", wasProbe, Now, pauseAfter: 20);

        Assert.True(change == actual, scenario);
        Assert.True(writes == next is not null, scenario);
        Assert.Equal(streak, (next ?? state).FailureStreak);
    }

    [Fact]
    public void AFailedProbe_DoublesTheDelayUpToTenMinutes_AndFreesTheClaim()
    {
        var claimed = PausedByFailures with { ProbeClaimedBy = "me", ProbeClaimedAt = Now };

        var (next, _) = DestinationRules.Failed(claimed, "timeout", wasProbe: true, Now, pauseAfter: 20);
        var (capped, _) = DestinationRules.Failed(next!, "timeout", wasProbe: true, Now, pauseAfter: 20);

        Assert.Equal(TimeSpan.FromMinutes(8), next!.ProbeDelay);
        Assert.Equal(Now.AddMinutes(8), next.NextProbeAt);
        Assert.Null(next.ProbeClaimedBy);
        Assert.Equal(DestinationRules.MaxProbeDelay, capped!.ProbeDelay);
    }

    public static TheoryData<string, DestinationState, DestinationChange, bool> SucceededCases() => new()
    {
        { "healthy, success recorded within the interval: nothing to write", Active with { LastSuccessAt = Now - TimeSpan.FromSeconds(59) }, DestinationChange.None, false },
        { "healthy, no success recorded yet: recorded (issue 22: last_success_at stayed null)", Active, DestinationChange.None, true },
        { "healthy, last success an interval ago: recorded again", Active with { LastSuccessAt = Now - DestinationRules.SuccessRecordInterval }, DestinationChange.None, true },
        { "a recovery keeps the last error as the past one", Active with { FailureStreak = 3, LastError = "500", LastFailureAt = Now }, DestinationChange.None, true },
        { "a streak resets", Active with { FailureStreak = 7 }, DestinationChange.None, true },
        { "paused by failures resumes", PausedByFailures, DestinationChange.Resumed, true },
        { "an operator's pause stays", PausedByOperator, DestinationChange.None, false },
    };

    [Theory]
    [MemberData(nameof(SucceededCases))]
    public void Succeeded_ResetsOrResumes(string scenario, DestinationState state, DestinationChange change, bool writes)
    {
        var (next, actual) = DestinationRules.Succeeded(state, Now);

        Assert.True(change == actual, scenario);
        Assert.True(writes == next is not null, scenario);
        Assert.True(next is null || (next.FailureStreak == 0 && next.LastSuccessAt == Now && (next.IsPaused == state.IsPaused) == (change == DestinationChange.None)), scenario);
    }

    [Fact]
    public void AnOperatorsResume_ClearsAPauseByFailures()
    {
        var (next, change) = DestinationRules.Resume(PausedByFailures with { ProbeClaimedBy = "me", ProbeClaimedAt = Now });

        Assert.Equal(DestinationChange.Resumed, change);
        Assert.Equal(DestinationState.New("crm-sync") with { LastError = "503 Service Unavailable" }, next);
    }
}
