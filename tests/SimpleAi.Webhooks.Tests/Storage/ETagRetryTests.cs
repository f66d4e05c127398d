using Azure;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Tests.Storage;

/// <summary>The one read → decide → conditional write loop: which rounds read, write and answer.</summary>
public sealed class ETagRetryTests
{
    [Fact]
    public async Task DecisionWithoutWrite_AnswersAfterOneReadAndNoWrite()
    {
        var (reads, writes) = (0, 0);

        var result = await ETagRetry.UpdateAsync(
            3,
            (_, _) => Task.FromResult(++reads),
            row => ETagDecision<int, string>.Answer($"read {row}"),
            (_, _, _) => Task.FromResult(++writes > 0),
            _ => "exhausted",
            CancellationToken.None);

        Assert.Equal(("read 1", 1, 0), (result, reads, writes));
    }

    [Fact]
    public async Task LostWrite_ReadsAgainAndDecidesOnTheNewRow()
    {
        var rounds = new List<int>();
        var written = new List<int>();

        var result = await ETagRetry.UpdateAsync(
            5,
            (round, _) =>
            {
                rounds.Add(round);
                return Task.FromResult(round * 10);
            },
            row => ETagDecision<int, int>.Write(row + 1, row),
            (_, change, _) =>
            {
                written.Add(change);
                return Task.FromResult(written.Count == 3);
            },
            _ => -1,
            CancellationToken.None);

        Assert.Equal(30, result);
        Assert.Equal([1, 2, 3], rounds);
        Assert.Equal([11, 21, 31], written);
    }

    [Fact]
    public async Task EveryWriteLost_StopsAfterTheBoundAndAnswersFromTheLastRow()
    {
        var writes = 0;

        var result = await ETagRetry.UpdateAsync(
            4,
            (round, _) => Task.FromResult(round),
            row => ETagDecision<int, int>.Write(row, row),
            (_, _, _) => Task.FromResult(++writes < 0),
            last => -last,
            CancellationToken.None);

        Assert.Equal((-4, 4), (result, writes));
    }

    [Theory]
    [InlineData(412, false)]
    [InlineData(409, false)]
    [InlineData(404, true)]
    public async Task WriteLostToAnotherWriter_IsFalse(int status, bool deletedLoses)
    {
        var won = await ETagRetry.WonAsync(Task.FromException(new RequestFailedException(status, "changed")), deletedLoses);

        Assert.False(won);
    }

    [Fact]
    public async Task OtherFailuresAndAMissingTable_AreThrownNotTakenForALostRace()
    {
        await Assert.ThrowsAsync<RequestFailedException>(() => ETagRetry.WonAsync(Task.FromException(new RequestFailedException(503, "busy"))));
        await Assert.ThrowsAsync<RequestFailedException>(() => ETagRetry.WonAsync(Task.FromException(new RequestFailedException(404, "gone"))));
        await Assert.ThrowsAsync<StorageResourceMissingException>(() => ETagRetry.WonAsync(
            Task.FromException(new StorageResourceMissingException("table", TableNames.Destinations, 404, "TableNotFound")), deletedLoses: true));
    }

    [Fact]
    public async Task WonWrite_IsTrue()
    {
        Assert.True(await ETagRetry.WonAsync(Task.CompletedTask));
    }
}
