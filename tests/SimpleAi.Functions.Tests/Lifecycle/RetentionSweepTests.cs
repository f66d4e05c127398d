using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SimpleAi.Webhooks.Lifecycle;
using Xunit.Abstractions;

namespace SimpleAi.Functions.Tests.Lifecycle;

/// <summary>
/// The retention sweep on real storage with a fake clock: it deletes everything of the calls older than
/// <c>Retention__Days</c> and nothing of the rest (checked by listing every table, container and queue), its requests
/// grow with the calls it deletes, and a sweep killed at any storage request is finished by the next.
/// </summary>
[Collection(LifecycleCollection.Name)]
public sealed class RetentionSweepTests(LifecycleAzurite azurite, ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = new(2001, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ThousandCallsOverFortyDays_SweepAtThirtyDays_RemovesTheTenOldestDaysOnly_RequestsGrowWithDeleted()
    {
        var storage = new CountingStorage(azurite.ConnectionString);
        var clock = new FakeTimeProvider(Now);
        var seeder = new CallSeeder(storage.Tables, storage.Blobs, storage.Queues, clock);
        var spacing = TimeSpan.FromDays(40) / 1000;
        var calls = new SeededCall[1000];
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            calls[i] = await seeder.SeedAsync(i, Now.AddDays(-40) + (i * spacing)));
        var cutoff = Now.AddDays(-30);
        var old = calls.Where(c => c.StartedAt < cutoff).ToList();
        var kept = calls.Where(c => c.StartedAt >= cutoff).ToList();
        Assert.Equal(250, old.Count);
        var before = await StorageListing.AllAsync(azurite.ConnectionString);
        var keptBefore = StorageListing.Holding(before, [.. kept.SelectMany(c => c.Marks)]);
        Assert.NotEmpty(StorageListing.Holding(before, [.. old.SelectMany(c => c.Marks)]));

        storage.Reset();
        var result = await Sweeper(storage, clock).SweepAsync(CancellationToken.None);
        var sweepRequests = storage.Requests;

        var after = await StorageListing.AllAsync(azurite.ConnectionString);
        Assert.Equal(250, result.Calls);
        Assert.Empty(StorageListing.Holding(after, [.. old.SelectMany(c => c.Marks)]));
        Assert.Equal(keptBefore.Order(StringComparer.Ordinal), StorageListing.Holding(after, [.. kept.SelectMany(c => c.Marks)]).Order(StringComparer.Ordinal));

        // Nothing to delete, 750 calls kept: a handful of requests, whatever is kept.
        storage.Reset();
        var idle = await Sweeper(storage, clock).SweepAsync(CancellationToken.None);
        var idleRequests = storage.Requests;
        Assert.Equal(0, idle.Calls);
        Assert.True(idleRequests <= 8, $"an idle sweep over 750 kept calls sent {idleRequests} requests");

        // A day later: one day's calls go, for as many requests per call as the first sweep's.
        clock.Advance(TimeSpan.FromDays(1));
        storage.Reset();
        var nextDay = await Sweeper(storage, clock).SweepAsync(CancellationToken.None);
        var nextDayRequests = storage.Requests;
        var perCall = (double)(sweepRequests - idleRequests) / result.Calls;
        output.WriteLine($"sweep of {result.Calls} calls ({result.Hours} hours): {sweepRequests} requests ({perCall:F1} per call); idle: {idleRequests}; next day {nextDay.Calls} calls: {nextDayRequests} requests");
        Assert.InRange(nextDay.Calls, 20, 30);
        Assert.True(nextDayRequests <= idleRequests + (perCall * 1.5 * nextDay.Calls), $"next day's sweep of {nextDay.Calls} calls sent {nextDayRequests} requests");
    }

    [Fact]
    public async Task SweepKilledAtEveryStorageRequest_RunAgain_LeavesTheSameEndState()
    {
        var storage = new CountingStorage(azurite.ConnectionString);
        var clock = new FakeTimeProvider(Now.AddYears(1));
        var seeder = new CallSeeder(storage.Tables, storage.Blobs, storage.Queues, clock);
        var cutoff = clock.GetUtcNow().AddDays(-30);
        var numbers = 0;
        string NewNumber() => "+1666" + (1_000_000 + Interlocked.Increment(ref numbers)).ToString(System.Globalization.CultureInfo.InvariantCulture);

        async Task<(List<SeededCall> Old, List<SeededCall> Kept)> SeedAsync()
        {
            // Call 0 has every kind of row and blob (duplicate, second completion, event body, big run data, trigger
            // run, poison message); the second starts in an hour's last minute (rows in two hours), the last is kept.
            var oldCalls = new List<SeededCall>
            {
                await seeder.SeedAsync(0, cutoff.AddDays(-2), NewNumber()),
                await seeder.SeedAsync(1, CallIndexHourEnd(cutoff.AddDays(-1)).AddMinutes(-1), NewNumber()),
            };
            return (oldCalls, [await seeder.SeedAsync(2, cutoff.AddHours(2), NewNumber())]);
        }

        // A clean slate: whatever an earlier test left before this clock's window goes first.
        await Sweeper(storage, clock).SweepAsync(CancellationToken.None);
        var (firstOld, firstKept) = await SeedAsync();
        storage.Reset();
        await Sweeper(storage, clock).SweepAsync(CancellationToken.None);
        var requests = storage.Requests;
        output.WriteLine($"an uninterrupted sweep of 2 calls: {requests} requests; killing it before and after each");
        Assert.True(requests > 20);

        foreach (var after in new[] { false, true })
        {
            for (var request = 1; request <= requests; request++)
            {
                var (old, kept) = await SeedAsync();
                var keptBefore = StorageListing.Holding(await StorageListing.AllAsync(azurite.ConnectionString), [.. kept.SelectMany(c => c.Marks)]);
                storage.Reset();
                storage.CrashAt = (request, after);
                await Assert.ThrowsAnyAsync<Exception>(() => Sweeper(storage, clock).SweepAsync(CancellationToken.None));
                storage.CrashAt = null;

                // The next sweep comes after the lock of any poison message the killed one held (a day later, in Azure).
                await StorageListing.AllVisibleAsync(azurite.ConnectionString);
                await Sweeper(storage, clock).SweepAsync(CancellationToken.None);

                var listing = await StorageListing.AllAsync(azurite.ConnectionString);
                var left = StorageListing.Holding(listing, [.. old.SelectMany(c => c.Marks)]);
                Assert.True(left.Count == 0,
                    $"killed {(after ? "after" : "before")} request {request}, the next sweep left: {string.Join(Environment.NewLine, left)}");
                Assert.Equal(keptBefore.Order(StringComparer.Ordinal), StorageListing.Holding(listing, [.. kept.SelectMany(c => c.Marks)]).Order(StringComparer.Ordinal));
            }
        }

        Assert.NotEmpty(firstKept);
        Assert.NotEmpty(firstOld);
    }

    private static DateTimeOffset CallIndexHourEnd(DateTimeOffset at) =>
        new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, 0, 0, TimeSpan.Zero).AddHours(1);

    private static RetentionSweeper Sweeper(CountingStorage storage, TimeProvider clock)
    {
        var records = new LifecycleRecords(storage.Tables);
        return new RetentionSweeper(
            storage.Tables,
            new CallPurger(storage.Tables, storage.Blobs),
            new PoisonScrubber(storage.Queues, TimeSpan.FromSeconds(2)),
            records,
            Options.Create(new RetentionOptions { Days = 30 }),
            clock,
            NullLogger<RetentionSweeper>.Instance);
    }
}
