using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SimpleAi.Functions.Tests.Console;

/// <summary>
/// The console in a real browser (Debian's Chromium under Playwright) against the app on the local host, Azurite, a
/// local Simple AI API and a local CRM: what a person does (open, search, filter, replay, pause, resume) and sees, and
/// axe-core on every view. Waits are Playwright's auto-waiting expectations, never sleeps.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleBrowserTests(AzuriteFixture azurite, ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private static readonly LocatorAssertionsToHaveCountOptions Soon = new() { Timeout = 20_000 };

    [Fact]
    public async Task LiveCall_EachNewTranscriptLineAppearsWithoutReload()
    {
        await using var app = await ConsoleApp.StartAsync(azurite.ConnectionString);
        var callId = await app.LiveCallAsync(lines: 2);
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{app.ConsoleUrl}#/calls/{callId}");
        var lines = page.Locator("ol.transcript li.line");
        await Expect(lines).ToHaveCountAsync(2, Soon);
        await Expect(lines.Nth(0).Locator(".who")).ToHaveTextAsync("Agent");
        await Expect(lines.Nth(1).Locator(".who")).ToHaveTextAsync("Caller");
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        app.ServeCall(callId, lines: 3, live: true, from: "+15559870001");
        await app.PostAsync("call.transcript_update", callId);
        await Expect(lines).ToHaveCountAsync(3, Soon);
        await Expect(lines.Nth(2).Locator(".who")).ToHaveTextAsync("Function call: lookup_invoice");

        app.ServeCall(callId, lines: 5, live: true, from: "+15559870001");
        await app.PostAsync("call.transcript_update", callId);
        await Expect(lines).ToHaveCountAsync(5, Soon);
        await Expect(lines.Nth(4)).ToContainTextAsync("Can a person call me today?");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was reloaded");
    }

    [Fact]
    public async Task ActionAnswers400_CallPageShowsTheFailedStep_ReplayAfterTheFix_CompletesTheRun()
    {
        await using var app = await ConsoleApp.StartAsync(azurite.ConnectionString);
        app.Server.Default(ConsoleApp.Crm, FakeResponse.Text(400, "email is not a valid address"));
        var (callId, _) = await app.EndedCallAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{app.ConsoleUrl}#/calls/{callId}");

        var step = page.Locator("li.step[data-step='crm-sync']");
        await Expect(step.Locator("h3 .badge")).ToHaveTextAsync("failed");
        await Expect(step).ToContainTextAsync("400 Bad Request: email is not a valid address");
        await Expect(step).ToContainTextAsync(app.Server.BaseUrl.Authority);
        await Expect(step).Not.ToContainTextAsync("/crm");
        await Expect(page.Locator("#run .badge")).ToHaveTextAsync("failed at crm-sync");

        app.Server.Default(ConsoleApp.Crm, FakeResponse.Json("{}"));
        await step.GetByRole(AriaRole.Button, new() { Name = "Replay crm-sync" }).ClickAsync();
        var dialog = page.Locator("dialog#confirm");
        await Expect(dialog).ToContainTextAsync("1 message will move back to work");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Replay 1" }).ClickAsync();

        await Expect(page.Locator("#run .badge")).ToHaveTextAsync("completed", new() { Timeout = 30_000 });
        await Expect(step.Locator("h3 .badge")).ToHaveTextAsync("completed");
        Assert.Contains(app.Harness.Logs.Lines, l => l.Contains("Console: local user replayed 1 message(s) from step-crm-sync-poison", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CallPage_ShowsWhatThePreCallAnswerToldTheAgent_ParameterNamesNotValues()
    {
        await using var app = await ConsoleApp.StartAsync(azurite.ConnectionString);
        app.Server.Default(ConsoleApp.Crm, FakeResponse.Json("{}"));
        var from = "+1555" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Answered 20 s before the call started (ConsoleApp serves calls started 5 minutes ago).
        await app.Harness.App.GetRequiredService<SimpleAi.Webhooks.PreCall.PreCallRecordStore>().SaveAsync(
            new SimpleAi.Webhooks.PreCall.PreCallRecord(
                from, "inbound", null, DateTimeOffset.UtcNow.AddMinutes(-5).AddSeconds(-20),
                new Dictionary<string, string> { ["customer_name"] = "Dana Ortiz", ["priority"] = "high" },
                new SimpleAi.Webhooks.PreCall.PreCallReport(
                    [new("contact", "answered", 3.2), new("crm", "timeout", 800)], [new("priority", "fired", 0)], "none", 812.4)),
            CancellationToken.None);
        var (callId, _) = await app.EndedCallAsync(from);
        var page = await browser.NewPageAsync();

        await page.GotoAsync($"{app.ConsoleUrl}#/calls/{callId}");

        var answer = page.Locator("section[aria-labelledby='precall']");
        await Expect(answer).ToContainTextAsync("customer_name, priority");
        await Expect(answer).ToContainTextAsync("contact answered 3 ms; crm timeout 800 ms");
        await Expect(answer).ToContainTextAsync("priority fired");
        await Expect(answer).ToContainTextAsync($"to {SimpleAi.Webhooks.Console.PhoneMask.Mask(from)} in 812 ms");
        await Expect(answer).Not.ToContainTextAsync("Dana Ortiz");
    }

    [Fact]
    public async Task Failures_GroupedByStepAndCause_ReplayOfTheStepsFailures_SaysHowManyMove_AndCompletesThem()
    {
        // A cause of this test's own: other tests of the collection leave failed runs in the same window.
        var cause = "contact " + Guid.NewGuid().ToString("N")[..8] + " is unknown";
        await using var app = await ConsoleApp.StartAsync(azurite.ConnectionString);
        app.Server.Default(ConsoleApp.Crm, FakeResponse.Text(400, cause));
        var first = await app.EndedCallAsync(from: "+15550100021");
        var second = await app.EndedCallAsync(from: "+15550100022");
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{app.ConsoleUrl}#/failures");

        var group = page.Locator("section.group", new() { HasText = cause });
        await Expect(group).ToHaveCountAsync(1, Soon);
        await Expect(group.Locator("h3")).ToHaveTextAsync($"crm-sync: PermanentStepFailureException: the crm-sync endpoint ({app.Server.BaseUrl.Host}) answered 400 Bad Request: {cause} (2)");
        await Expect(group.Locator("li")).ToHaveCountAsync(2);
        await Expect(page.Locator("#poison")).ToHaveTextAsync("Poison queues (2 messages)");

        app.Server.Default(ConsoleApp.Crm, FakeResponse.Json("{}"));
        await group.GetByRole(AriaRole.Button, new() { Name = "Replay crm-sync's failures" }).ClickAsync();
        var dialog = page.Locator("dialog#confirm");
        await Expect(dialog).ToContainTextAsync("2 messages will move back to work (2 from step-crm-sync-poison to step-crm-sync)");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Replay 2" }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Replayed 2 messages.");

        await app.Harness.RunUntilIdleAsync(60);
        Assert.Equal(RunStatus.Completed, (await app.Harness.RunOfAsync(first.CallId))!.Status);
        Assert.Equal(RunStatus.Completed, (await app.Harness.RunOfAsync(second.CallId))!.Status);
        await page.ReloadAsync();
        await Expect(page.Locator("#groups")).ToBeVisibleAsync();
        await Expect(group).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task DestinationFailingUntilPaused_ShowsPaused_ResumeBringsItBack()
    {
        await using var app = await ConsoleApp.StartAsync(azurite.ConnectionString, harness => harness
            .WithSetting("Destinations:PauseAfterFailures", "2")
            .WithSetting("Actions:crm_sync:RetrySchedule", "1s,1s,1s,1s,1s,1s")
            .WithSetting("Actions:crm_sync:MaxPerSecond", "5"));
        app.Server.Default(ConsoleApp.Crm, FakeResponse.Text(503, "down for maintenance"));
        var callId = Guid.NewGuid().ToString("D");
        app.ServeCall(callId);
        await app.PostAsync("call.completed", callId);
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{app.ConsoleUrl}#/destinations");

        var crm = page.Locator("section.card[data-destination='crm-sync']");
        await Expect(crm.Locator(".badge").First).ToHaveTextAsync("paused", new() { Timeout = 30_000 });
        await Expect(crm).ToContainTextAsync("failures since");
        await Expect(crm).ToContainTextAsync("503 Service Unavailable");
        await Expect(crm).ToContainTextAsync("5 a second");

        app.Server.Default(ConsoleApp.Crm, FakeResponse.Json("{}"));
        await crm.GetByRole(AriaRole.Button, new() { Name = "Resume crm-sync" }).ClickAsync();
        await Expect(crm.Locator(".badge").First).ToHaveTextAsync("active");
        await app.Harness.RunUntilIdleAsync(60);
        Assert.Equal(RunStatus.Completed, (await app.Harness.RunOfAsync(callId))!.Status);

        await crm.GetByLabel("Reason to pause crm-sync").FillAsync("CRM maintenance until 14:00");
        await crm.GetByRole(AriaRole.Button, new() { Name = "Pause crm-sync" }).ClickAsync();
        await Expect(crm).ToContainTextAsync("operator since");
        await Expect(crm).ToContainTextAsync("CRM maintenance until 14:00");
        Assert.Contains(app.Harness.Logs.Lines, l => l.Contains("Console: local user paused destination crm-sync: CRM maintenance until 14:00", StringComparison.Ordinal));
        await crm.GetByRole(AriaRole.Button, new() { Name = "Resume crm-sync" }).ClickAsync();
        await Expect(crm.Locator(".badge").First).ToHaveTextAsync("active");
    }

    [Fact]
    public async Task Calls_FiltersAndSearchByCallIdEventIdAndCallerNumber()
    {
        await using var app = await ConsoleApp.StartAsync(azurite.ConnectionString);
        var completed = await app.EndedCallAsync(from: "+15550100001");
        app.Server.Default(ConsoleApp.Crm, FakeResponse.Text(400, "no such contact"));
        var failed = await app.EndedCallAsync(from: "+15550100002");
        var live = await app.LiveCallAsync(lines: 2, from: "+15550100003");
        var page = await browser.NewPageAsync();
        await page.GotoAsync(app.ConsoleUrl.ToString());
        var rows = page.Locator("table.calls tbody tr[data-call]");

        await Expect(Row(page, completed.CallId).Locator("td[data-label='Run']")).ToHaveTextAsync("completed");
        await Expect(Row(page, failed.CallId).Locator("td[data-label='Run']")).ToHaveTextAsync("failed at crm-sync");
        await Expect(Row(page, live).Locator("td[data-label='Call status']")).ToHaveTextAsync("live");
        await Expect(Row(page, completed.CallId).Locator("td[data-label='From']")).ToHaveTextAsync("+1 555 •••• 001");
        await Row(page, completed.CallId).GetByRole(AriaRole.Button).ClickAsync();
        await Expect(Row(page, completed.CallId).Locator("td[data-label='From']")).ToHaveTextAsync("+15550100001");

        await page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("failed");
        await Expect(Row(page, failed.CallId)).ToBeVisibleAsync();
        await Expect(Row(page, completed.CallId)).ToHaveCountAsync(0);
        await Expect(Row(page, live)).ToHaveCountAsync(0);
        await page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("live");
        await Expect(Row(page, live)).ToBeVisibleAsync();
        await Expect(Row(page, failed.CallId)).ToHaveCountAsync(0);
        await page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("completed");
        await Expect(Row(page, completed.CallId)).ToBeVisibleAsync();
        await Expect(Row(page, failed.CallId)).ToHaveCountAsync(0);
        await page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("");

        foreach (var (search, expected) in new[]
        {
            (failed.CallId, failed.CallId),
            (completed.EventId, completed.CallId),
            ("(555) 010-0003", live),
            ("+15550100002", failed.CallId),
        })
        {
            await page.GetByLabel("Call id, event id or caller number").FillAsync(search);
            await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            await Expect(rows).ToHaveCountAsync(1, Soon);
            await Expect(Row(page, expected)).ToBeVisibleAsync();
        }

        await page.GetByLabel("Call id, event id or caller number").FillAsync("+15550199999");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page.Locator("table.calls tbody")).ToContainTextAsync("No call matches");
    }

    [Fact]
    public async Task EveryView_HasNoSeriousOrCriticalAxeViolation_AndIsPhotographedForTheDocs()
    {
        await using var app = await ConsoleApp.StartAsync(azurite.ConnectionString);
        var completed = await app.EndedCallAsync(from: "+15550100011");
        app.Server.Default(ConsoleApp.Crm, FakeResponse.Text(400, "email is not a valid address"));
        var failed = await app.EndedCallAsync(from: "+15550100012");
        var live = await app.LiveCallAsync(lines: 5, from: "+15550100013");
        _ = completed;
        var views = new (string Name, string Hash, string Ready)[]
        {
            ("calls", "#/calls", $"tr[data-call='{live}']"),
            ("call-live", $"#/calls/{live}", "ol.transcript li.line >> nth=4"),
            ("call-failed", $"#/calls/{failed.CallId}", "li.step[data-step='crm-sync'] .error-text"),
            ("failures", "#/failures", "section.group"),
            ("destinations", "#/destinations", "section.card[data-destination='crm-sync']"),
        };
        foreach (var width in new[] { 1280, 390 })
        {
            var page = await browser.NewPageAsync(width);
            foreach (var (name, hash, ready) in views)
            {
                await page.GotoAsync(app.ConsoleUrl + hash);
                await Expect(page.Locator(ready)).ToBeVisibleAsync();
                var results = await page.RunAxe();
                var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
                Assert.True(serious.Count == 0, $"{name} at {width}px: " + string.Join("; ", serious.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html).Take(3))})")));
                if (width == 1280 || name == "calls")
                {
                    Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "docs", "console"));
                    await page.ScreenshotAsync(new PageScreenshotOptions
                    {
                        Path = Path.Combine(RepoPaths.Root, "docs", "console", width == 1280 ? $"{name}.png" : $"{name}-narrow.png"),
                        FullPage = width != 1280,
                    });
                }
            }

            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task KeyboardOnly_ReachesACallAndItsReplay()
    {
        await using var app = await ConsoleApp.StartAsync(azurite.ConnectionString);
        var (callId, _) = await app.EndedCallAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(app.ConsoleUrl.ToString());
        var link = page.GetByRole(AriaRole.Link, new() { Name = callId });
        await Expect(link).ToBeVisibleAsync();

        await link.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Call");
        await Expect(page.Locator("h1")).ToBeFocusedAsync();
        await Expect(page.Locator("#facts")).ToHaveTextAsync(callId);
    }

    private static ILocator Row(IPage page, string callId) => page.Locator($"table.calls tbody tr[data-call='{callId}']");
}
