using SimpleAi.Webhooks.Transcripts;

namespace SimpleAi.Webhooks.Tests.Transcripts;

/// <summary>Which copy of a transcript-fetch message fetches, decided from the call's transcript state alone.</summary>
public sealed class TranscriptFetchDecisionTests
{
    private const string Token = "t1";
    private const string Me = "queue-message-1";
    private const string Other = "queue-message-2";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(70);
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, TranscriptState?, string?, bool, string> Cases() => new()
    {
        { "no state", null, Token, false, "nothing is known" },
        { "another token", Due("t0"), Token, false, "overtaken" },
        { "due", Due(Token), Token, true, "beginning" },
        { "due, a message without a token", Due(Token), null, true, "beginning" },
        { "begun, a message without a token", Begun(Me, Now.AddSeconds(-1)), null, false, "no fetch is due" },
        { "begun by this message, back after an error or a crash", Begun(Me, Now.AddSeconds(-40)), Token, true, "tried again" },
        // Issue 21: the second copy of the message (the update routed twice sent it twice) fetched again.
        { "begun by another copy of this message", Begun(Other, Now.AddMilliseconds(-7)), Token, false, "another copy" },
        { "begun by another copy, lease over", Begun(Other, Now - Lease - TimeSpan.FromSeconds(1)), Token, true, "taking over" },
        { "begun before claims were recorded", Begun(null, Now.AddSeconds(-1)), Token, true, "taking over" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_LetsOneCopyFetch(string scenario, TranscriptState? state, string? token, bool fetches, string reason)
    {
        var decision = TranscriptFetchDecision.Decide(state, token, Me, Now, Lease);

        Assert.True(fetches == decision.Fetches, $"{scenario}: {decision}");
        Assert.Contains(reason, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Claim_MarksTheFetchBegunNowByThisMessageAndKeepsTheRest()
    {
        var state = Due(Token) with { LineCount = 7, ScheduledBy = "evt_1" };

        var claimed = TranscriptFetchDecision.Decide(state, Token, Me, Now, Lease).Claimed;

        Assert.Equal(state with { ScheduledFor = null, LastFetchStartedAt = Now, FetchClaimedBy = Me }, claimed);
    }

    [Fact]
    public void TwoCopiesDecidingInTurn_OnlyTheFirstFetches()
    {
        var first = TranscriptFetchDecision.Decide(Due(Token), Token, Me, Now, Lease);
        var second = TranscriptFetchDecision.Decide(first.Claimed, Token, Other, Now.AddMilliseconds(5), Lease);
        var firstAgain = TranscriptFetchDecision.Decide(first.Claimed, Token, Me, Now.AddSeconds(30), Lease);

        Assert.True(first.Fetches);
        Assert.False(second.Fetches, second.Reason);
        Assert.True(firstAgain.Fetches, firstAgain.Reason);
    }

    private static TranscriptState Due(string token) => new(Now.AddSeconds(-10), Now, 3, token, "evt_1");

    private static TranscriptState Begun(string? by, DateTimeOffset at) => new(at, null, 3, Token, "evt_1", by);
}
