extern alias infra;

using Azure.Storage.Blobs;
using SimpleAi.LocalHost.Metadata;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.Signing;
using infra::SimpleAi.Infra.Tests;

namespace SimpleAi.Functions.Tests.AddingAStep;

/// <summary>
/// README's "Adding a step in code" followed literally with a throwaway step, <c>escalate</c>: the class and the function
/// line are the README's blocks (held to them here), the registration line and workflow.json are the README's, and the
/// step runs under the WebJobs SDK's real queue listener; without its Bicep line the wiring check names the missing queues,
/// and with the README's Bicep line added to a copy of infra/ they are provisioned.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AddingAStepTests(AzuriteFixture azurite, InfrastructureTemplateTests.Template template)
    : IClassFixture<InfrastructureTemplateTests.Template>, IAsyncLifetime
{
    private const string Heading = "## Adding a step in code";
    private const string StorageQueue = "Microsoft.Storage/storageAccounts/queueServices/queues";

    private FakeHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeHttpServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void ReadmeWalkthrough_IsTheCodeThisTestRuns()
    {
        var here = Path.Combine(RepoPaths.Root, "tests", "SimpleAi.Functions.Tests", "AddingAStep");
        var sources = Normalised(string.Join('\n', Directory.GetFiles(here, "*.cs").Select(File.ReadAllText)));

        var blocks = ReadmeExamples.BlocksUnder(Heading, "csharp");

        Assert.Equal(3, blocks.Count);
        Assert.All(blocks, block => Assert.Contains(Normalised(block), sources, StringComparison.Ordinal));
        Assert.Contains("public sealed class EscalateStep(", blocks[0], StringComparison.Ordinal);
        Assert.DoesNotContain("[Function", blocks[0], StringComparison.Ordinal);
        Assert.Contains("[Function(\"step-escalate\")]", blocks[1], StringComparison.Ordinal);
        Assert.Equal("services.AddWorkflowStep<EscalateStep>(\"escalate\");", blocks[2].Trim());
        Assert.Equal("'escalate'", Assert.Single(ReadmeExamples.BlocksUnder(Heading, "bicep")).Trim());
    }

    [Fact]
    public async Task EscalateStep_AddedAsReadmeSays_RunsUnderTheRealQueueListener()
    {
        var callId = Guid.NewGuid().ToString("D");
        _server.Default($"/api/v1/calls/{callId}", FakeResponse.Json(RepoPaths.FixtureBytes("get-call-completed.json")));
        _server.Default("/pager", FakeResponse.Json("{}"));
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString)
            .WithServices(services =>
            {
                services.AddWorkflowStep<EscalateStep>("escalate");
            })
            .WithFunctions(typeof(EscalateFunctions))
            .WithWorkflow(ReadmeWorkflowFile())
            .WithSimpleAiApi(_server.Url("api/v1"))
            .WithSetting("Escalate:PagerUrl", _server.Url("pager").ToString())
            .StartAsync();

        Assert.Equal(202, (await harness.PostAsync(WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N")), "msg_1")).Status);
        await harness.RunUntilIdleAsync(120);

        var page = Assert.Single(_server.To("/pager"));
        Assert.Equal($"{callId}:escalate", page.Header("Idempotency-Key"));
        var run = await harness.RunOfAsync(callId);
        Assert.NotNull(run);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(StepStatus.Completed, run.Steps["escalate"].Status);
        Assert.Equal("true", run.Data["paged"]);
    }

    [Fact]
    public void EscalateWithoutItsBicepLine_IsCaughtByTheWiringCheck()
    {
        var problems = StepWiring.Problems(
            EscalateRegistered(), StepWiring.ConfiguredSteps(ReadmeWorkflowFile()), EscalateFunctionQueues(),
            template.For(QueueTransport.StorageQueues).Names(StorageQueue));

        Assert.Equal(
        [
            "step 'escalate' has no queue 'step-escalate' in infra/main.bicep: add 'escalate' to builtInSteps",
            "step 'escalate' has no queue 'step-escalate-poison' in infra/main.bicep: add 'escalate' to builtInSteps",
        ], problems);
    }

    [Fact]
    public void EscalateWithTheReadmesBicepLine_HasItsQueues()
    {
        var copy = CopyOfInfraWith(Assert.Single(ReadmeExamples.BlocksUnder(Heading, "bicep")));
        try
        {
            var queues = template.ExpandOther(Path.Combine(copy, "infra", "main.bicep"), "escalate", "param queueTransport = 'storageQueues'").Names(StorageQueue);

            Assert.Empty(StepWiring.Problems(EscalateRegistered(), StepWiring.ConfiguredSteps(ReadmeWorkflowFile()), EscalateFunctionQueues(), queues));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task ActionStepUnderANewName_PostsSignedToItsOwnEndpoint_WithNoClassOfItsOwn()
    {
        var settings = TestApp.Settings(azurite.ConnectionString);
        settings["Actions:escalate:Url"] = _server.Url("pager").ToString();
        settings["Actions:escalate:Secret"] = TestSigning.OtherSecret;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var app = TestApp.Build(settings, configure: services => services.AddActionStep("escalate", configuration));
        await StorageProvisioning.EnsureAsync(app.GetRequiredService<TableServiceClient>(), app.GetRequiredService<BlobServiceClient>(), CancellationToken.None);
        var callId = Guid.NewGuid().ToString("D");
        var snapshot = await app.GetRequiredService<CallSnapshotStore>().SaveAsync(callId, RepoPaths.FixtureBytes("get-call-completed.json"), CancellationToken.None);
        var step = app.GetRequiredKeyedService<IWorkflowStep>("escalate");

        var result = await step.ExecuteAsync(
            new StepContext("run-1", callId, "evt_1", "escalate", new Dictionary<string, string> { [CallSnapshotStore.RunDataKey] = snapshot }, 1, $"{callId}:escalate"),
            CancellationToken.None);

        Assert.IsType<ActionStep>(step);
        Assert.Null(result.SkippedBecause);
        var page = Assert.Single(_server.To("/pager"));
        Assert.Equal($"{callId}:escalate", page.Header("Idempotency-Key"));
        using var verifier = new StandardWebhookVerifier([WebhookSecret.Parse(TestSigning.OtherSecret)], TimeSpan.FromMinutes(5));
        Assert.True(verifier.Verify(page.Body, page.Header).IsValid);
    }

    private static List<string> EscalateRegistered() =>
        StepWiring.RegisteredSteps(services => services.AddWorkflowStep<EscalateStep>("escalate"));

    private static List<string> EscalateFunctionQueues() =>
        [.. StepWiring.AppFunctionQueues(), .. FunctionMetadataReader.FromAttributes(typeof(EscalateFunctions)).Select(f => f.QueueName).OfType<string>()];

    /// <summary>README step 4, read as the app reads workflow.json.</summary>
    private static IConfiguration ReadmeWorkflowFile() =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(ReadmeExamples.JsonBlockAfter(Heading)))).Build();

    /// <summary>infra/ (and the host.json it reads) copied to a new directory, with <paramref name="line"/> (README step 5) added at the end of <c>builtInSteps</c>.</summary>
    private static string CopyOfInfraWith(string line)
    {
        var copy = Directory.CreateTempSubdirectory("simpleai-addstep-").FullName;
        var infra = Path.Combine(RepoPaths.Root, "infra");
        foreach (var file in Directory.EnumerateFiles(infra, "*.bicep", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(infra, "*.json", SearchOption.AllDirectories))
            .Append(RepoPaths.HostJson))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(RepoPaths.Root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var main = Path.Combine(copy, "infra", "main.bicep");
        var lines = File.ReadAllLines(main).ToList();
        var open = lines.IndexOf("var builtInSteps = [");
        lines.Insert(lines.FindIndex(open, l => l == "]"), line);
        File.WriteAllLines(main, lines);
        return copy;
    }

    private static string Normalised(string code) =>
        string.Join('\n', code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
}
