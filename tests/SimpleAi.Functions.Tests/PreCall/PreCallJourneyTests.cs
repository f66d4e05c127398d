using System.Globalization;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SimpleAi.Webhooks.PreCall;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Functions.Tests.PreCall;

/// <summary>
/// The pre-call journey against a real contacts table (Azurite) and real local HTTP sources (Kestrel). Time is a
/// <see cref="FakeTimeProvider"/>: a source's timeout and the budget fire when the test advances the clock, so "on
/// time" is shown by the answer arriving while a slow source still holds its request, never by elapsed milliseconds.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PreCallJourneyTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Dana = "+15551234567";

    /// <summary>A Monday, 14:30 UTC.</summary>
    private static readonly DateTimeOffset Afternoon = new(2026, 4, 13, 14, 30, 0, TimeSpan.Zero);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly RecordingLoggerProvider _logs = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FakeTimeProvider _clock = new(Afternoon);
    private readonly List<string> _files = [];
    private FakeHttpServer _sources = null!;

    public async Task InitializeAsync()
    {
        _sources = await FakeHttpServer.StartAsync();
        using var app = App();
        await app.GetRequiredService<ContactStore>().UpsertAsync(Dana, new Dictionary<string, string>
        {
            ["customer_name"] = "Dana Ortiz",
            ["plan"] = "pro",
        }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _sources.DisposeAsync();
        _files.ForEach(File.Delete);
    }

    private ServiceProvider App(Action<Dictionary<string, string?>>? change = null, string? storage = null)
    {
        var settings = TestApp.Settings(storage ?? azurite.ConnectionString);
        change?.Invoke(settings);
        return TestApp.Build(settings, _logs, services => services.AddSingleton<TimeProvider>(_clock));
    }

    private void Source(Dictionary<string, string?> settings, int index, string name, string path, int timeoutMilliseconds = 2000)
    {
        settings[$"PreCall:Sources:{index}:Name"] = name;
        settings[$"PreCall:Sources:{index}:Url"] = _sources.Url(path).ToString();
        settings[$"PreCall:Sources:{index}:Secret"] = TestSigning.OtherSecret;
        settings[$"PreCall:Sources:{index}:TimeoutMilliseconds"] = timeoutMilliseconds.ToString(CultureInfo.InvariantCulture);
    }

    private static void Rule(Dictionary<string, string?> settings, int index, string parameter, string value, params (string Field, string Op, string Value)[] when)
    {
        settings[$"PreCall:Rules:{index}:Parameter"] = parameter;
        settings[$"PreCall:Rules:{index}:Value"] = value;
        for (var i = 0; i < when.Length; i++)
        {
            settings[$"PreCall:Rules:{index}:When:{i}:Field"] = when[i].Field;
            settings[$"PreCall:Rules:{index}:When:{i}:Op"] = when[i].Op;
            if (when[i].Op == "in")
            {
                settings[$"PreCall:Rules:{index}:When:{i}:Values:0"] = when[i].Value;
            }
            else
            {
                settings[$"PreCall:Rules:{index}:When:{i}:Value"] = when[i].Value;
            }
        }
    }

    private static byte[] Request(string from = Dana, string direction = "inbound") =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            call = new { from_number = from, to_number = "+15557654321", direction, timestamp = "2026-04-13T14:30:00Z" },
            agent = new { id = "8b0f6a52", name = "Support Agent" },
        }));

    private static Task<PreCallResult> AskAsync(ServiceProvider app, byte[]? body = null)
    {
        body ??= Request();
        return app.GetRequiredService<PreCallService>().HandleAsync(
            new PreCallRequest("POST", "application/json", body.Length, new MemoryStream(body), "Bearer " + TestApp.PreCallToken, Explain: true),
            CancellationToken.None);
    }

    private static SourceOutcome OutcomeOf(PreCallResult result, string source) => Assert.Single(result.Report!.Sources, s => s.Source == source);

    private Task ReceivedAsync(params string[] paths) =>
        Conditions.WaitAsync(() => paths.All(p => _sources.To(p).Count > 0), Patience, $"every source asked ({string.Join(", ", paths)})");

    [Fact]
    public async Task ThreeSourcesOneSlowOneFailing_AnswerHoldsTheGoodSourceAndTheRules_WithoutWaitingForTheSlowOne()
    {
        _sources.Default("/crm", FakeResponse.Json("""{"plan":"enterprise","ltv":12000,"owner":"Sam"}"""));
        _sources.Default("/tickets", FakeResponse.Text(500, "boom"));
        _sources.Default("/slow", FakeResponse.Json("""{"late":true}""") with { AnswerAfter = _release.Task });
        using var app = App(s =>
        {
            Source(s, 0, "crm", "/crm");
            Source(s, 1, "tickets", "/tickets");
            Source(s, 2, "slow", "/slow", timeoutMilliseconds: 500);
            Rule(s, 0, "priority", "high", ("crm:plan", "in", "enterprise"));
            Rule(s, 1, "priority", "high", ("crm:ltv", "gt", "10000"));
            Rule(s, 2, "route", "night", ("local_hour", "lt", "8"));
            Rule(s, 3, "route", "night", ("local_hour", "gt", "18"));
        });

        var answering = AskAsync(app);
        await ReceivedAsync("/crm", "/tickets", "/slow");
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        var result = await answering.WaitAsync(Patience);

        Assert.False(_release.Task.IsCompleted, "the slow source was let answer before the journey did");
        Assert.Equal(new Dictionary<string, string>
        {
            ["customer_name"] = "Dana Ortiz",
            ["plan"] = "pro",
            ["crm_plan"] = "enterprise",
            ["crm_ltv"] = "12000",
            ["crm_owner"] = "Sam",
            ["priority"] = "high",
        }, result.Parameters);
        Assert.Equal((SourceOutcome.Answered, SourceOutcome.HttpError, "500", SourceOutcome.Timeout),
            (OutcomeOf(result, "crm").Outcome, OutcomeOf(result, "tickets").Outcome, OutcomeOf(result, "tickets").Detail, OutcomeOf(result, "slow").Outcome));
        Assert.Contains(result.Report!.Rules, r => r is { Parameter: "priority", Outcome: RuleOutcome.Fired, Rule: 0 });
        Assert.Contains(result.Report.Rules, r => r is { Parameter: "route", Outcome: RuleOutcome.NotFired });
    }

    [Fact]
    public async Task EverySourceRequest_IsSignedWithItsSecretAndCarriesTheCall()
    {
        _sources.Default("/crm", FakeResponse.Json("""{"plan":"enterprise"}"""));
        using var app = App(s => Source(s, 0, "crm", "/crm"));

        await AskAsync(app).WaitAsync(Patience);

        var sent = Assert.Single(_sources.To("/crm"));
        using var verifier = new StandardWebhookVerifier([WebhookSecret.Parse(TestSigning.OtherSecret)], TimeSpan.FromMinutes(5), _clock);
        Assert.True(verifier.Verify(sent.Body, sent.Header).IsValid);
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal(Dana, body.RootElement.GetProperty("phone").GetString());
        Assert.Equal("Support Agent", body.RootElement.GetProperty("agent").GetProperty("name").GetString());
        Assert.Equal("inbound", body.RootElement.GetProperty("call").GetProperty("direction").GetString());
    }

    [Fact]
    public async Task MappedSource_AnswersOnlyItsNamedParameters_WhileRulesReadEveryField()
    {
        _sources.Default("/tickets", FakeResponse.Json("""{"open":2,"latest":"T-881","internal_score":0.3}"""));
        using var app = App(s =>
        {
            Source(s, 0, "tickets", "/tickets");
            s["PreCall:Sources:0:Parameters:open_tickets"] = "open";
            s["PreCall:Sources:0:Parameters:latest_ticket"] = "latest";
            Rule(s, 0, "risk", "watch", ("tickets:internal_score", "lt", "0.5"));
        });

        var result = await AskAsync(app).WaitAsync(Patience);

        Assert.Equal(("2", "T-881", "watch"), (result.Parameters!["open_tickets"], result.Parameters["latest_ticket"], result.Parameters["risk"]));
        Assert.DoesNotContain(result.Parameters.Keys, k => k.Contains("internal_score", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SourcesAnsweringGarbage_AreLeftOutAndCountedWithTheirReason()
    {
        _sources.Default("/broken", FakeResponse.Json("{\"plan\": enterprise"));
        _sources.Default("/array", FakeResponse.Json("[1,2]"));
        var counted = new List<(string Source, string Outcome)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "simpleai.webhooks.precall.sources")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var found = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            if (found["source"] is "broken_json_src" or "array_src")
            {
                lock (counted)
                {
                    counted.Add((found["source"]!, found["outcome"]!));
                }
            }
        });
        listener.Start();
        using var app = App(s =>
        {
            Source(s, 0, "broken_json_src", "/broken");
            Source(s, 1, "array_src", "/array");
        });

        var result = await AskAsync(app).WaitAsync(Patience);

        Assert.Equal(new Dictionary<string, string> { ["customer_name"] = "Dana Ortiz", ["plan"] = "pro" }, result.Parameters);
        Assert.Equal((SourceOutcome.InvalidJson, SourceOutcome.NotAnObject), (OutcomeOf(result, "broken_json_src").Outcome, OutcomeOf(result, "array_src").Outcome));
        lock (counted)
        {
            Assert.Contains(("broken_json_src", SourceOutcome.InvalidJson), counted);
            Assert.Contains(("array_src", SourceOutcome.NotAnObject), counted);
        }

        Assert.Contains(_logs.Lines, l => l.Contains("broken_json_src left out: invalid_json", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Everything, l => l.Contains("enterprise", StringComparison.Ordinal) || l.Contains(Dana, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EverySourceAndTheTableHanging_TheBudgetAnswersTheRulesOnTheCall()
    {
        _sources.Default("/crm", FakeResponse.Json("{}") with { AnswerAfter = _release.Task });
        _sources.Default("/tickets", FakeResponse.Json("{}") with { AnswerAfter = _release.Task });
        await using var table = new UnansweringServer();
        var storage = System.Text.RegularExpressions.Regex.Replace(azurite.ConnectionString, "TableEndpoint=[^;]*", $"TableEndpoint=http://127.0.0.1:{table.Port}/devstoreaccount1");
        using var app = App(
            s =>
            {
                s["PreCall:LookupBudgetMilliseconds"] = "1000";
                Source(s, 0, "crm", "/crm", timeoutMilliseconds: 1000);
                Source(s, 1, "tickets", "/tickets", timeoutMilliseconds: 1000);
                Rule(s, 0, "line", "support", ("agent_name", "contains", "support"));
            },
            storage);

        var answering = AskAsync(app);
        await ReceivedAsync("/crm", "/tickets");
        await Conditions.WaitAsync(() => table.Accepted > 0, Patience, "the contacts read reached the table endpoint");
        _clock.Advance(TimeSpan.FromMilliseconds(1000));
        var result = await answering.WaitAsync(Patience);

        Assert.False(_release.Task.IsCompleted);
        Assert.Equal(new Dictionary<string, string> { ["line"] = "support" }, result.Parameters);
        Assert.Equal(SourceOutcome.OverBudget, OutcomeOf(result, SourceOutcome.ContactSource).Outcome);
        Assert.All(result.Report!.Sources, s => Assert.True(s.LeftOut, $"{s.Source}: {s.Outcome}"));
        Assert.Contains(_logs.Lines, l => l.Contains("1000 ms budget ran out", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string, bool> RulesOverEachFieldType() => new()
    {
        // The call.
        { "direction", "eq", "inbound", true },
        { "agent_id", "eq", "8b0f6a52", true },
        { "customer_number", "matches", "^\\+1555", true },
        { "to_number", "eq", "+15550000000", false },
        // The local time: 14:30 UTC is 10:30 in New York (EDT), a Monday.
        { "local_hour", "eq", "10", true },
        { "local_hour", "lt", "8", false },
        { "local_day", "in", "monday", true },
        // The contact.
        { "contact:plan", "eq", "pro", true },
        { "contact:customer_name", "contains", "ortiz", true },
        // A source: a number, a boolean, a nested object (compared as JSON).
        { "crm:ltv", "gte", "12000", true },
        { "crm:vip", "eq", "true", true },
        { "crm:address", "contains", "\"city\":\"Boston\"", true },
        { "crm:plan", "exists", "", true },
    };

    [Theory]
    [MemberData(nameof(RulesOverEachFieldType))]
    public async Task Rule_ReadsEachKindOfField(string field, string op, string value, bool holds)
    {
        _sources.Default("/crm", FakeResponse.Json("""{"plan":"enterprise","ltv":12000,"vip":true,"address":{"city":"Boston"}}"""));
        using var app = App(s =>
        {
            s["PreCall:TimeZone"] = "America/New_York";
            Source(s, 0, "crm", "/crm");
            Rule(s, 0, "flag", "yes", (field, op, value));
        });

        var result = await AskAsync(app).WaitAsync(Patience);

        Assert.Equal(holds, result.Parameters!.GetValueOrDefault("flag") == "yes");
        Assert.Equal(holds ? RuleOutcome.Fired : RuleOutcome.NotFired, Assert.Single(result.Report!.Rules).Outcome);
    }

    [Fact]
    public async Task RuleOnAFieldTheSourceDidNotAnswer_LeavesItsParameterOutAndLogsWhyWithoutValues()
    {
        _sources.Default("/crm", FakeResponse.Json("""{"plan":"enterprise"}"""));
        using var app = App(s =>
        {
            Source(s, 0, "crm", "/crm");
            Rule(s, 0, "priority", "high", ("crm:ltv", "gt", "10000"));
        });

        var result = await AskAsync(app).WaitAsync(Patience);

        Assert.False(result.Parameters!.ContainsKey("priority"));
        var rule = Assert.Single(result.Report!.Rules);
        Assert.Equal(RuleOutcome.NotEvaluated, rule.Outcome);
        Assert.Contains(_logs.Lines, l => l.Contains("priority left out", StringComparison.Ordinal) && l.Contains("'crm:ltv' absent", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Everything, l => l.Contains("enterprise", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Transformation_ShapesTheFinalParameters()
    {
        var file = TransformFile("""
            function handler(precall) {
              const p = precall.parameters;
              p.greeting = 'Hello ' + p.customer_name.split(' ')[0] + ' (' + precall.agent.name + ')';
              delete p.plan;
              return precall;
            }
            """);
        using var app = App(s => s["PreCall:Transform"] = file);

        var result = await AskAsync(app).WaitAsync(Patience);

        Assert.Equal(new Dictionary<string, string> { ["customer_name"] = "Dana Ortiz", ["greeting"] = "Hello Dana (Support Agent)" }, result.Parameters);
        Assert.Equal(PreCallReport.Transformed, result.Report!.Transform);
    }

    [Theory]
    [InlineData("function handler(precall) { throw new Error('nope'); }", "threw at line 1")]
    [InlineData("function handler(precall) { while (true) {} }", "ran longer than its limit of 0.2 s")]
    [InlineData("function handler(precall) { return { parameters: 'x' }; }", "returned no object with a parameters object")]
    public async Task TransformationFailing_AnswersTheUntransformedParameters(string script, string reason)
    {
        using var app = App(s => s["PreCall:Transform"] = TransformFile(script));

        var result = await AskAsync(app).WaitAsync(Patience);

        Assert.Equal(new Dictionary<string, string> { ["customer_name"] = "Dana Ortiz", ["plan"] = "pro" }, result.Parameters);
        Assert.StartsWith("failed: ", result.Report!.Transform, StringComparison.Ordinal);
        Assert.Contains(reason, result.Report.Transform, StringComparison.Ordinal);
        Assert.Contains(_logs.Lines, l => l.Contains("answered untransformed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EachAnswer_IsRecordedUnderTheAgreedKeys()
    {
        // A caller of its own: the other tests answer Dana at the same fake instant, and the first record of an instant stands.
        const string caller = "+15550009191";
        _sources.Default("/crm", FakeResponse.Json("""{"plan":"enterprise"}"""));
        using var app = App(s =>
        {
            Source(s, 0, "crm", "/crm");
            Rule(s, 0, "priority", "high", ("crm:plan", "eq", "enterprise"));
        });

        await AskAsync(app, Request(from: caller)).WaitAsync(Patience);
        await app.GetRequiredService<PreCallRecordStore>().FlushAsync();

        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(TableNames.PreCalls);
        var row = (await table.GetEntityAsync<TableEntity>("2026041314", PreCallRecordStore.RowKeyOf(caller, Afternoon))).Value;
        Assert.Equal(caller + "|" + (DateTime.MaxValue.Ticks - Afternoon.UtcTicks).ToString("D19", CultureInfo.InvariantCulture), row.RowKey);
        Assert.StartsWith(PreCallRecordStore.RowKeyPrefixOf(caller), row.RowKey, StringComparison.Ordinal);
        Assert.Equal("2026041314", PreCallRecordStore.PartitionOf(Afternoon));
        var record = PreCallRecordStore.Read(row);
        Assert.Equal(("high", "enterprise"), (record.Parameters["priority"], record.Parameters["crm_plan"]));
        Assert.Equal(SourceOutcome.Answered, Assert.Single(record.Report.Sources, s => s.Source == "crm").Outcome);
        Assert.Equal("priority", Assert.Single(record.Report.Rules, r => r.Outcome == RuleOutcome.Fired).Parameter);

        var found = await app.GetRequiredService<PreCallRecordStore>().FindBeforeAsync(
            caller, Afternoon.AddSeconds(3), TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(Afternoon, found?.AnsweredAt);
    }

    [Theory]
    [InlineData("inbound", "+15550008181", "+15557654321", 2, true)]
    [InlineData("outbound", "+15557654321", "+15550008181", 2, true)]
    [InlineData("inbound", "+15550008181", "+15557654321", -3, true)]
    [InlineData("inbound", "+15550008181", "+15557654321", 11 * 60, false)]
    [InlineData("inbound", "+15550008182", "+15557654321", 2, false)]
    public async Task CallThatFollowed_FindsItsPreCallAnswer_ByTheCustomersNumberAndItsStart(
        string direction, string from, string to, int startedSecondsAfter, bool found)
    {
        using var app = App();
        await AskAsync(app, Request(from: "+15550008181")).WaitAsync(Patience);
        var store = app.GetRequiredService<PreCallRecordStore>();
        await store.FlushAsync();
        // The run's data after fetch-call (CallFacts): the numbers as the API writes them and started_at as its text.
        var facts = new Dictionary<string, string>
        {
            ["direction"] = direction,
            ["from_number"] = from,
            ["to_number"] = to,
            ["started_at"] = Afternoon.AddSeconds(startedSecondsAfter).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };

        var record = await store.FindForCallAsync(facts, CancellationToken.None);

        Assert.Equal(found, record is not null);
    }

    [Fact]
    public async Task SourceSecretStillAVaultReference_TheSourceIsNotAskedAndTheAppRuns()
    {
        using var app = App(s =>
        {
            Source(s, 0, "crm", "/crm");
            s["PreCall:Sources:0:Secret"] = "@Microsoft.KeyVault(VaultName=kv-x7q2;SecretName=precall-source-crm-secret)";
        });

        var result = await AskAsync(app).WaitAsync(Patience);

        Assert.Equal(SourceOutcome.Unavailable, OutcomeOf(result, "crm").Outcome);
        Assert.Empty(_sources.To("/crm"));
        Assert.Contains(_logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("PreCall__Sources__0__Secret", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Everything, l => l.Contains("kv-x7q2", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string> Misconfigurations() => new()
    {
        { "PreCall:Rules:0:When:0:Field", "crm:plan", "PreCall__Rules__0 (priority), condition 'crm:plan eq enterprise': unknown field 'crm:plan'" },
        { "PreCall:Rules:0:When:0:Op", "bigger", "unknown operator 'bigger'" },
        { "PreCall:Rules:0:Parameter", "", "PreCall__Rules__0__Parameter must be set" },
        { "PreCall:TimeZone", "Mars/Olympus", "PreCall__TimeZone: 'Mars/Olympus' is not a time zone" },
        { "PreCall:Sources:0:Url", "", "PreCall__Sources__0__Url must be an absolute http(s) URL" },
        { "PreCall:Sources:0:Secret", "not-a-secret!", "PreCall__Sources__0__Secret: the secret is not base64" },
        { "PreCall:Sources:0:TimeoutMilliseconds", "9000", "PreCall__Sources__0__TimeoutMilliseconds (9000) must be from 50 to PreCall__LookupBudgetMilliseconds (3000)" },
        { "PreCall:Sources:0:Name", "contact", "PreCall__Sources__0__Name 'contact' is the contacts table's name" },
        { "PreCall:Transform", "missing.js", "PreCall__Transform: transformation missing.js does not exist" },
    };

    [Theory]
    [MemberData(nameof(Misconfigurations))]
    public void JourneyThatCouldNeverWork_StopsTheStartNamingTheSetting(string key, string value, string expected)
    {
        using var app = App(s =>
        {
            Source(s, 0, "tickets", "/tickets");
            Rule(s, 0, "priority", "high", ("contact:plan", "eq", "enterprise"));
            s[key] = value;
        });

        var error = Assert.Throws<OptionsValidationException>(() => app.GetRequiredService<IOptions<PreCallOptions>>().Value);

        var problems = ConfigurationErrors.Problems(error);
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    private string TransformFile(string script)
    {
        var path = Path.Combine(Path.GetTempPath(), $"precall-{Guid.NewGuid():N}.js");
        File.WriteAllText(path, script);
        _files.Add(path);
        return path;
    }
}
