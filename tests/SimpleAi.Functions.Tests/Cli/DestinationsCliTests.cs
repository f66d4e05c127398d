using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Destinations;

namespace SimpleAi.Functions.Tests.Cli;

/// <summary><c>simpleai-webhooks destinations</c> list, pause and resume against Azurite, seen by the app's own gate.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DestinationsCliTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly string _destination = "crm-" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync() =>
        await new TableServiceClient(azurite.ConnectionString, AzureConnections.TableOptions()).CreateTableIfNotExistsAsync(TableNames.Destinations);

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<(int Code, string Out, string Error)> CliAsync(params string[] args) => CliRun.WithStorageAsync(azurite.ConnectionString, args);

    /// <summary>A new app instance's gate (it reads the row afresh).</summary>
    private DestinationGate AppGate() => new(
        new TableServiceClient(azurite.ConnectionString, AzureConnections.TableOptions()),
        Options.Create(new DestinationOptions()),
        TimeProvider.System,
        NullLogger<DestinationGate>.Instance);

    [Fact]
    public async Task List_ShowsADestinationPausedByFailures_WithItsStreakAndLastError()
    {
        var gate = AppGate();
        for (var i = 0; i < 20; i++)
        {
            await gate.FailedAsync(_destination, "503 Service Unavailable", wasProbe: false, CancellationToken.None);
        }

        var (code, output, _) = await CliAsync("destinations");
        var (jsonCode, json, _) = await CliAsync("destinations", "--json");

        Assert.Equal(0, code);
        Assert.Matches($@"\n{_destination}\s+paused\s+\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\s+failures\s+20\s+\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\s+-\s+503 Service Unavailable", output);
        Assert.Equal(0, jsonCode);
        using var document = JsonDocument.Parse(json);
        var row = Assert.Single(document.RootElement.EnumerateArray(), e => e.GetProperty("destination").GetString() == _destination);
        Assert.Equal("paused", row.GetProperty("state").GetString());
        Assert.Equal("failures", row.GetProperty("paused_by").GetString());
        Assert.Equal(20, row.GetProperty("failure_streak").GetInt32());
        Assert.Equal("503 Service Unavailable", row.GetProperty("last_error").GetString());
        Assert.Equal(JsonValueKind.String, row.GetProperty("next_probe_at").ValueKind);
    }

    /// <summary>
    /// Issue 22: after a recovery the list still showed the last error as if current (streak 0), and a destination that
    /// only ever succeeded had no last success. The error is shown as past, with the success that ended it.
    /// </summary>
    [Fact]
    public async Task List_AfterRecovery_ShowsTheErrorAsPast_AndTheLastSuccess()
    {
        var gate = AppGate();
        for (var i = 0; i < 3; i++)
        {
            await gate.FailedAsync(_destination, "500 Internal Server Error", wasProbe: false, CancellationToken.None);
        }

        await gate.SucceededAsync(_destination, wasProbe: false, CancellationToken.None);

        var (code, output, _) = await CliAsync("destinations");
        var (_, json, _) = await CliAsync("destinations", "--json");

        Assert.Equal(0, code);
        Assert.Matches(
            $@"\n{_destination}\s+active\s+-\s+-\s+0\s+-\s+\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\s+recovered from: 500 Internal Server Error \(\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\)",
            output);
        using var document = JsonDocument.Parse(json);
        var row = Assert.Single(document.RootElement.EnumerateArray(), e => e.GetProperty("destination").GetString() == _destination);
        Assert.Equal(JsonValueKind.String, row.GetProperty("last_success_at").ValueKind);
        Assert.True(row.GetProperty("last_success_at").GetDateTimeOffset() >= row.GetProperty("last_failure_at").GetDateTimeOffset());
    }

    /// <summary>Issue 22: <c>--json</c> had <c>last_success_at: null</c> for a destination whose deliveries all succeeded.</summary>
    [Fact]
    public async Task ListJson_OfADestinationThatOnlySucceeded_HasItsLastSuccess()
    {
        var gate = AppGate();
        await gate.BeforeAsync(_destination, "call-1:crm", CancellationToken.None);
        await gate.SucceededAsync(_destination, wasProbe: false, CancellationToken.None);

        var (_, json, _) = await CliAsync("destinations", "--json");

        using var document = JsonDocument.Parse(json);
        var row = Assert.Single(document.RootElement.EnumerateArray(), e => e.GetProperty("destination").GetString() == _destination);
        Assert.Equal(JsonValueKind.String, row.GetProperty("last_success_at").ValueKind);
    }

    /// <summary>
    /// The hot path: a healthy destination's successes write its row at most once per
    /// <c>DestinationRules.SuccessRecordInterval</c>, not once per delivery (240 successes in one instance within
    /// a minute: one write; the success a minute after it: one more; 300 successes over 75 s in all: two writes).
    /// </summary>
    [Fact]
    public async Task Successes_WriteTheRowAtMostOncePerInterval()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var tables = new TableServiceClient(azurite.ConnectionString, AzureConnections.TableOptions());
        var gate = new DestinationGate(tables, Options.Create(new DestinationOptions()), clock, NullLogger<DestinationGate>.Instance);
        var table = tables.GetTableClient(TableNames.Destinations);
        await gate.BeforeAsync(_destination, "call-0:crm", CancellationToken.None);
        var versions = new HashSet<string>();

        for (var i = 0; i < 300; i++)
        {
            await gate.SucceededAsync(_destination, wasProbe: false, CancellationToken.None);
            versions.Add((await table.GetEntityAsync<TableEntity>(_destination, _destination)).Value.ETag.ToString());
            clock.Advance(TimeSpan.FromMilliseconds(250));
        }

        Assert.Equal(2, versions.Count);
    }

    [Fact]
    public async Task ListJson_NamesEveryField_InItsOrder()
    {
        await AppGate().FailedAsync(_destination, "503 Service Unavailable", wasProbe: false, CancellationToken.None);

        var (_, json, _) = await CliAsync("destinations", "--json");

        using var document = JsonDocument.Parse(json);
        var row = Assert.Single(document.RootElement.EnumerateArray(), e => e.GetProperty("destination").GetString() == _destination);
        Assert.Equal(
            ["destination", "state", "paused_by", "paused_at", "pause_reason", "failure_streak", "last_error", "last_failure_at", "last_success_at", "next_probe_at", "probe_claimed_by", "probe_claimed_at"],
            row.EnumerateObject().Select(p => p.Name));
    }

    /// <summary>Issue 21: the CLI wrote <c>'</c> as <c>\u0027</c>; it writes JSON as the app's documents do.</summary>
    [Fact]
    public async Task ListJson_WritesAReasonAsTheAppsDocumentsDo_ApostropheLiteral()
    {
        const string Reason = "CRM's maintenance <2h> & café";
        await AppGate().FailedAsync(_destination, "503 CRM's down", wasProbe: false, CancellationToken.None);
        var (pauseCode, _, pauseError) = await CliAsync("destinations", "pause", _destination, "--reason", Reason);

        var (_, json, _) = await CliAsync("destinations", "--json");

        Assert.True(pauseCode == 0, pauseError);
        Assert.True(json.Contains($"\"pause_reason\": \"{Reason}\"", StringComparison.Ordinal), json);
        using var document = JsonDocument.Parse(json);
        var row = Assert.Single(document.RootElement.EnumerateArray(), e => e.GetProperty("destination").GetString() == _destination);
        Assert.Equal(Reason, row.GetProperty("pause_reason").GetString());
        Assert.Contains("\"last_error\": \"503 CRM's down\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PauseThenResume_HoldsAndReleasesTheAppsDeliveries()
    {
        Assert.Equal(GateAction.Go, (await AppGate().BeforeAsync(_destination, "call-1:crm-sync", CancellationToken.None)).Action);

        var (pauseCode, paused, _) = await CliAsync("destinations", "pause", _destination, "--reason", "CRM maintenance");
        var whilePaused = await AppGate().BeforeAsync(_destination, "call-1:crm-sync", CancellationToken.None);
        var (_, listed, _) = await CliAsync("destinations");
        var (resumeCode, resumed, _) = await CliAsync("destinations", "resume", _destination);
        var afterResume = await AppGate().BeforeAsync(_destination, "call-1:crm-sync", CancellationToken.None);
        var (_, again, _) = await CliAsync("destinations", "resume", _destination);

        Assert.Equal(0, pauseCode);
        Assert.Contains($"paused {_destination}", paused, StringComparison.Ordinal);
        Assert.Equal(GateAction.Wait, whilePaused.Action);
        Assert.Contains("paused by an operator: CRM maintenance", whilePaused.Reason, StringComparison.Ordinal);
        Assert.Matches($@"\n{_destination}\s+paused\s+\S+ \S+\s+operator\s+0\s+-\s+-\s+CRM maintenance", listed);
        Assert.Equal(0, resumeCode);
        Assert.Contains($"resumed {_destination}", resumed, StringComparison.Ordinal);
        Assert.Equal(GateAction.Go, afterResume.Action);
        Assert.Contains($"{_destination} is not paused", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PauseOfAnUnknownDestination_IsAUsageErrorNamingTheKnownOnes()
    {
        var (code, _, error) = await CliAsync("destinations", "pause", _destination);

        Assert.Equal(2, code);
        Assert.Contains($"unknown destination '{_destination}'", error, StringComparison.Ordinal);
        Assert.Contains("crm-sync", error, StringComparison.Ordinal);
        Assert.DoesNotContain(await AppGate().ListAsync(CancellationToken.None), s => s.Name == _destination);
    }
}
