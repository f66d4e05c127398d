using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SimpleAi.Benchmarks;
using SimpleAi.Testing;

// dotnet run -c Release --project tests/SimpleAi.Benchmarks -- all              (everything, then the tables in docs/benchmarks/README.md and README.md)
// dotnet run -c Release --project tests/SimpleAi.Benchmarks -- --filter '*Step*' (BenchmarkDotNet, its usual options)
// dotnet run -c Release --project tests/SimpleAi.Benchmarks -- workflow|precall|precall-sources|transcripts|pointreads|peer|latency|console   (one measured loop on Azurite; console: SIMPLEAI_CONSOLE_CALLS=10000 SIMPLEAI_CONSOLE_LINES=20; latency: SIMPLEAI_LATENCY_CALLS=50 SIMPLEAI_LATENCY_RATE=20 SIMPLEAI_LATENCY_SECONDS=30; peer: SIMPLEAI_PEER_CALLS=200,1000 SIMPLEAI_PEER_ROUNDS=3 SIMPLEAI_PEER_DTFX=tuned|default)
// dotnet run -c Release --project tests/SimpleAi.Benchmarks -- soak memory|disk [minutes]   (sustained storage traffic on one Azurite: throughput, stalls)
// Each run copies its reports (with the machine they ran on) to docs/benchmarks/.
var loops = new Dictionary<string, Func<Task<LoopResult>>>(StringComparer.Ordinal)
{
    ["workflow"] = WorkflowThroughput.RunAsync,
    ["precall"] = PreCallLatency.RunAsync,
    ["precall-sources"] = PreCallSourcesLatency.RunAsync,
    ["transcripts"] = TranscriptCoalescing.RunAsync,
    ["pointreads"] = PointReadScaling.RunAsync,
    ["peer"] = PeerBenchmark.RunAsync,
    ["latency"] = UserLatency.RunAsync,
    ["console"] = ConsoleLatency.RunAsync,
};
var target = Path.Combine(RepoPaths.Root, "docs", "benchmarks");
Directory.CreateDirectory(target);

if (args is [var name] && loops.TryGetValue(name, out var only))
{
    await RunLoopAsync(only);
    return;
}

if (args is ["soak", "memory" or "disk", ..] && args.Length <= 3)
{
    var minutes = args.Length == 3 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 6;
    await RunLoopAsync(() => AzuriteSoak.RunAsync(args[1] == "memory", TimeSpan.FromMinutes(minutes)));
    return;
}

var all = args is ["all"];
var summaries = BenchmarkSwitcher.FromAssembly(typeof(VerificationBenchmarks).Assembly)
    .Run(all ? ["--filter", "*"] : args, DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default))
    .ToList();
CopyReports(summaries);
if (all)
{
    var rows = BenchmarkResults.FromBenchmarkDotNet(summaries).ToList();
    foreach (var loop in loops.Values)
    {
        rows.AddRange((await RunLoopAsync(loop)).Targets);
    }

    var pages = Directory.EnumerateFiles(target, "*.md").Select(Path.GetFileName).OfType<string>().Where(p => p != "README.md");
    await File.WriteAllTextAsync(Path.Combine(target, "README.md"), BenchmarkResults.Page(rows, pages));
    var performance = Path.Combine(RepoPaths.Root, "docs", "performance.md");
    await File.WriteAllTextAsync(performance, BenchmarkResults.Readme(await File.ReadAllTextAsync(performance), rows));
    Console.WriteLine("Wrote docs/benchmarks/README.md and the table in docs/performance.md");
}

async Task<LoopResult> RunLoopAsync(Func<Task<LoopResult>> loop)
{
    var result = await loop();
    Console.WriteLine(result.Markdown);
    await File.WriteAllTextAsync(Path.Combine(target, result.Page), result.Markdown);
    Console.WriteLine($"Wrote docs/benchmarks/{result.Page}");
    return result;
}

void CopyReports(IEnumerable<Summary> results)
{
    foreach (var summary in results.Where(s => s.Reports.Length > 0))
    {
        // One summary per benchmark class; its reports are named after its title (older runs' files stay put).
        var type = summary.BenchmarksCases[0].Descriptor.Type.Name;
        var report = Directory.EnumerateFiles(summary.ResultsDirectoryPath, $"*{type}-report-github.md").Single();
        File.Copy(report, Path.Combine(target, type + ".md"), overwrite: true);
        Console.WriteLine($"Wrote docs/benchmarks/{type}.md");
    }
}
