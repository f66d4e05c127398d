using Microsoft.Extensions.Time.Testing;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.SimpleAiApi;

namespace SimpleAi.Functions.Tests.Calls;

/// <summary>The index of calls by hour and by number (<see cref="CallIndex"/>), on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CallIndexTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private async Task<CallIndex> IndexAsync()
    {
        var tables = new TableServiceClient(azurite.ConnectionString);
        await tables.CreateTableIfNotExistsAsync(TableNames.CallIndex);
        return new CallIndex(tables, new FakeTimeProvider(Noon));
    }

    private static SimpleAiCall Call(DateTimeOffset startedAt, string from, string to, DateTimeOffset? endedAt = null) => new()
    {
        Status = endedAt is null ? "in-progress" : "completed",
        Direction = "inbound",
        FromNumber = from,
        ToNumber = to,
        StartedAt = new ApiTimestamp(startedAt.ToString("O"), startedAt),
        EndedAt = endedAt is { } ended ? new ApiTimestamp(ended.ToString("O"), ended) : null,
    };

    /// <summary>A time no other test of this class uses, so each test reads only its own calls.</summary>
    private static DateTimeOffset Day(int days) => Noon.AddDays(-days - (10 * Random.Shared.Next(1, 10_000)));

    [Fact]
    public async Task StartedThenRead_ListsEachCallOnce_NewestFirst_WithItsNumbersInE164()
    {
        var index = await IndexAsync();
        var at = Day(1);
        var (older, newer) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        await index.StartedAsync(older, at.AddMinutes(10), CancellationToken.None);
        await index.ReadAsync(older, Call(at.AddMinutes(10).AddSeconds(-2), "(555) 123-4567", "+1 555 765 4321"), CancellationToken.None);
        await index.StartedAsync(newer, at.AddMinutes(20), CancellationToken.None);

        var listed = await index.NewestFirstAsync(at, at.AddHours(1), CancellationToken.None).ToListAsync();

        Assert.Equal([newer, older], listed.Select(e => e.CallId));
        Assert.Equal(("+15551234567", "+15557654321"), (listed[1].From, listed[1].To));
        Assert.Equal(at.AddMinutes(10).AddSeconds(-2), listed[1].StartedAt);
        Assert.Equal(at.AddMinutes(20), listed[0].StartedAt);
        Assert.True(listed[0].Live);
    }

    [Fact]
    public async Task ACallThatStartsAsAnHourEnds_HasRowsInTwoHours_AndIsListedOnceWithWhatBothKnow()
    {
        var index = await IndexAsync();
        var hour = Day(2);
        var callId = Guid.NewGuid().ToString();
        // Started 0.1 s before the hour ended; its call.started arrived after.
        await index.StartedAsync(callId, hour.AddHours(1).AddSeconds(1), CancellationToken.None);
        await index.ReadAsync(callId, Call(hour.AddHours(1).AddMilliseconds(-100), "+15550001111", "+15550002222", hour.AddHours(1).AddMinutes(5)), CancellationToken.None);

        var listed = await index.NewestFirstAsync(hour, hour.AddHours(2), CancellationToken.None).ToListAsync();
        var found = await index.FindAsync(callId, hour.AddHours(1), CancellationToken.None);

        var entry = Assert.Single(listed);
        Assert.Equal("+15550001111", entry.From);
        Assert.False(entry.Live);
        Assert.Equal(2, entry.Partitions.Count);
        Assert.Equal(entry.Partitions.Order(), found!.Partitions.Order());
    }

    [Fact]
    public async Task OfNumber_FindsEveryCallOfTheNumber_InEveryHourOfTheWindow_AndNoOther()
    {
        var index = await IndexAsync();
        var at = Day(3);
        var number = "+1555" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var mine = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var callId = Guid.NewGuid().ToString();
            mine.Add(callId);
            await index.ReadAsync(callId, Call(at.AddHours(5 * i), number, "+15559990000"), CancellationToken.None);
        }

        await index.ReadAsync(Guid.NewGuid().ToString(), Call(at, "+15559990001", "+15559990000"), CancellationToken.None);

        var found = await index.OfNumberAsync(number, at, at.AddHours(11), CancellationToken.None);

        Assert.Equal(mine.Order(), found.Select(f => f.CallId).Order());
    }
}
