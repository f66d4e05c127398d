using System.Text.Json.Nodes;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Functions.Tests.Actions;

/// <summary>
/// Transformations end to end: a signed call.completed, the Simple AI API and the receivers played by a local HTTP
/// server, the app under the WebJobs queue listeners on Azurite, each action step's <c>Actions__&lt;step key&gt;__Transform</c>
/// a file the handler runs from.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TransformationWorkflowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string CrmSecret = "whsec_Y3JtLXN5bmMtc2VjcmV0LTAxMjM0NTY3ODk=";
    private const string NotifySecret = "whsec_bm90aWZ5LXNlY3JldC0wMTIzNDU2Nzg5YWJj";
    private const string FollowUpSecret = "whsec_Zm9sbG93LXVwLXNlY3JldC0wMTIzNDU2Nzg=";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "transforms-" + Guid.NewGuid().ToString("N"));
    private FakeHttpServer _server = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _server = await FakeHttpServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>fetch-call, crm-sync, notify, follow-up (no conditions); each action step with its transformation, if any.</summary>
    private Task<WorkflowHarness> StartAsync(string? crmSync = null, string? notify = null)
    {
        string? Write(string name, string? source)
        {
            if (source is null)
            {
                return null;
            }

            File.WriteAllText(Path.Combine(_folder, name), source);
            return Path.Combine(_folder, name);
        }

        var crmSyncFile = Write("crm-sync.js", crmSync);
        var notifyFile = Write("notify.js", notify);
        return WorkflowHarness.Create(azurite.ConnectionString)
            .WithSteps("fetch-call", "crm-sync", "notify", "follow-up")
            .WithSimpleAiApi(_server.Url("api/v1"))
            .WithAction("crm-sync", _server.Url("/crm"), CrmSecret)
            .WithSetting("Actions:crm_sync:Transform", crmSyncFile)
            .WithAction("notify", _server.Url("/slack"), NotifySecret)
            .WithSetting("Actions:notify:Transform", notifyFile)
            .WithAction("follow-up", _server.Url("/follow-ups"), FollowUpSecret)
            .StartAsync();
    }

    private static byte[] Call(string answeredBy)
    {
        var call = JsonNode.Parse(RepoPaths.FixtureBytes("get-call-completed.json"))!.AsObject();
        call["answered_by"] = answeredBy;
        return Encoding.UTF8.GetBytes(call.ToJsonString());
    }

    private async Task<string> RunCallAsync(WorkflowHarness harness, byte[] apiAnswer)
    {
        var callId = Guid.NewGuid().ToString("D");
        _server.Default($"/api/v1/calls/{callId}", FakeResponse.Json(apiAnswer));
        var body = WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N"));
        Assert.Equal(202, (await harness.PostAsync(body, "msg_" + callId)).Status);
        await harness.RunUntilIdleAsync(120);
        return callId;
    }

    private static void AssertSigned(RecordedRequest request, string secret, string idempotencyKey)
    {
        Assert.Equal(idempotencyKey, request.Header("Idempotency-Key"));
        Assert.Equal(idempotencyKey, request.Header("webhook-id"));
        using var verifier = new StandardWebhookVerifier([WebhookSecret.Parse(secret)], TimeSpan.FromMinutes(5));
        var verification = verifier.Verify(request.Body, request.Header);
        Assert.True(verification.IsValid, verification.ToString());
    }

    [Fact]
    public async Task TransformedDelivery_ArrivesSignedOverItsOwnBytes_AndACancelledOneIsRecordedSkipped()
    {
        await using var harness = await StartAsync(
            crmSync: """
                function handler(webhook) {
                  const doc = webhook.payload;
                  webhook.method = "PUT";
                  webhook.url = webhook.url.replace("/crm", "/notes/" + doc.external_identifiers.crm_contact_id);
                  webhook.headers["X-Source"] = "simple-ai";
                  webhook.payload = { note: doc.summary, from: doc.call.from_number, who: "Zoë" };
                  return webhook;
                }
                """,
            notify: "function handler(webhook) { return webhook.payload.call.answered_by === 'human' ? { cancel: true } : webhook; }");

        var callId = await RunCallAsync(harness, Call("human"));

        var crm = Assert.Single(_server.To("/notes/C-10442"));
        Assert.Equal("PUT", crm.Method);
        Assert.Equal("simple-ai", crm.Header("X-Source"));
        Assert.Equal("application/json", crm.Header("Content-Type"));
        Assert.Equal(
            """{"note":"Caller was double-charged in April and asked for a refund and a call back today.","from":"+15551234567","who":"Zoë"}""",
            Encoding.UTF8.GetString(crm.Body));
        AssertSigned(crm, CrmSecret, $"{callId}:crm-sync");
        Assert.Empty(_server.To("/crm"));
        Assert.Empty(_server.To("/slack"));
        AssertSigned(Assert.Single(_server.To("/follow-ups")), FollowUpSecret, $"{callId}:follow-up");
        var run = (await harness.RunOfAsync(callId))!;
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(StepStatus.Completed, run.Steps["crm-sync"].Status);
        Assert.Equal(StepStatus.Skipped, run.Steps["notify"].Status);
        Assert.Equal($"cancelled by transformation {Path.Combine(_folder, "notify.js")}", run.Steps["notify"].Error);
        Assert.Equal(StepStatus.Completed, run.Steps["follow-up"].Status);
    }

    /// <summary>
    /// A handler that throws, loops or allocates without end on voicemail calls. (The allocating one is stopped by
    /// the memory limit, or by the time limit first when the machine is slow: either stops it.)
    /// </summary>
    [Theory]
    [InlineData("throw new Error('no contact for ' + webhook.payload.call_id);", "threw at line 3, column 11: no contact for ")]
    [InlineData("while (true) {}", "ran longer than its limit of 1 s")]
    [InlineData("let a = []; while (true) a.push(new Array(1e6));", "(allocated more than its limit of 16 MB|ran longer than its limit of 1 s)")]
    public async Task FailingTransformation_FailsTheRunForGoodWithTheReason_AndTheNextCallIsDelivered(string failure, string reason)
    {
        await using var harness = await StartAsync(crmSync: $$"""
            function handler(webhook) {
              if (webhook.payload.call.answered_by === "voicemail") {
                {{failure}}
              }
              return webhook;
            }
            """);

        var failed = await RunCallAsync(harness, Call("voicemail"));
        var delivered = await RunCallAsync(harness, Call("human"));

        var run = (await harness.RunOfAsync(failed))!;
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(StepStatus.Failed, run.Steps["crm-sync"].Status);
        Assert.Equal(1, run.Steps["crm-sync"].Attempts);
        Assert.Matches($"^PermanentStepFailureException: transformation {System.Text.RegularExpressions.Regex.Escape(Path.Combine(_folder, "crm-sync.js"))} {reason}", run.Steps["crm-sync"].Error);
        var poisoned = JsonNode.Parse(Assert.Single(await harness.PoisonedAsync(QueueNames.Step("crm-sync"))))!;
        Assert.StartsWith("step 'crm-sync' failed for good: transformation ", poisoned["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(RunStatus.Completed, (await harness.RunOfAsync(delivered))!.Status);
        AssertSigned(Assert.Single(_server.To("/crm")), CrmSecret, $"{delivered}:crm-sync");
    }
}
