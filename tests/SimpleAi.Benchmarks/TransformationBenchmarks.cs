using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Jint;
using Jint.Native;
using SimpleAi.Testing;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Actions.Transformations;
using SimpleAi.Webhooks.Signing;
using SimpleAi.Webhooks.SimpleAiApi;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Benchmarks;

/// <summary>
/// What a transformation costs per delivery: building the fixture call's document alone (what every action does),
/// against the document plus each shipped example run as the app runs it (a fresh sandboxed engine per delivery),
/// and a fresh engine with the script's top level run and nothing else (the most an engine pool could save).
/// </summary>
[MemoryDiagnoser]
public class TransformationBenchmarks
{
    private StepContext _context = null!;
    private SimpleAiCall _call = null!;
    private Transformation _transformation = null!;
    private Prepared<Acornima.Ast.Script> _script;

    [Params("hubspot-note", "zendesk-ticket", "slack-blocks")]
    public string Example { get; set; } = "hubspot-note";

    [GlobalSetup]
    public void Setup()
    {
        _call = JsonSerializer.Deserialize<SimpleAiCall>(RepoPaths.FixtureBytes("get-call-completed.json"), SimpleAiClient.JsonOptions)!;
        _context = new StepContext("run", "123e4567-e89b-12d3-a456-426614174000", "evt_1", "crm-sync", new Dictionary<string, string>(), 1, "123e4567-e89b-12d3-a456-426614174000:crm-sync");
        var path = Path.Combine(RepoPaths.Root, "examples", "transformations", Example + ".js");
        _transformation = Transformation.Load(path, Example + ".js");
        _script = Engine.PrepareScript(File.ReadAllText(path), Example + ".js");
        if (Transformed() is null)
        {
            throw new InvalidOperationException($"{Example} cancelled the fixture call.");
        }
    }

    [Benchmark(Baseline = true, Description = "document only")]
    public byte[] DocumentOnly() => OutboundFormats.DocumentOf(_context, _call, includeTranscript: false);

    [Benchmark(Description = "document + transformation (fresh engine)")]
    public OutboundRequest? Transformed() =>
        _transformation.Apply(OutboundRequest.Post(new Uri("https://hooks.example.test/x"), DocumentOnly()), CancellationToken.None);

    [Benchmark(Description = "fresh engine + top level only")]
    public JsValue FreshEngineOnly()
    {
        using var engine = new Engine(options => options
            .TimeoutInterval(Transformation.TimeLimit)
            .LimitMemory(Transformation.MemoryLimitBytes)
            .LimitRecursion(Transformation.RecursionLimit));
        engine.Execute(_script);
        return engine.GetValue(Transformation.HandlerName);
    }
}
