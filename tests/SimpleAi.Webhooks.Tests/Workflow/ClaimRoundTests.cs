namespace SimpleAi.Webhooks.Tests.Workflow;

/// <summary>When a step message decides again from the run as read, and when its try gives up on claiming.</summary>
public sealed class ClaimRoundTests
{
    [Theory]
    [InlineData(true, StepAction.Run, false)]
    [InlineData(true, StepAction.Drop, true)]
    [InlineData(true, StepAction.Redrive, true)]
    [InlineData(true, StepAction.Poison, true)]
    [InlineData(false, StepAction.Drop, false)]
    [InlineData(false, StepAction.Redrive, false)]
    [InlineData(false, StepAction.Poison, false)]
    public void DecisionFromTheCarriedRun_IsTrustedOnlyToClaim(bool fromCarried, StepAction action, bool readAgain)
    {
        var round = new ClaimRound(fromCarried);

        var mustReadAgain = round.MustReadAgain(new StepDecision(action, "why"));

        Assert.Equal(readAgain, mustReadAgain);
    }

    [Theory]
    [InlineData(false, ClaimRound.MaxLostClaims)]
    [InlineData(true, ClaimRound.MaxLostClaims + 1)]
    public void LostClaims_AreRetriedFromTheRunAsReadUpToTheLimit_TheCarriedRunsLossUncounted(bool fromCarried, int claimsTried)
    {
        ClaimRound? round = new ClaimRound(fromCarried);
        var tried = 0;

        while (round is { } current)
        {
            tried++;
            round = current.AfterLostClaim();
            Assert.False(round?.FromCarried ?? false);
        }

        Assert.Equal(claimsTried, tried);
    }
}
