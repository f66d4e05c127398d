using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;
using SimpleAi.Testing;

// dotnet run -c Release --project tests/SimpleAi.Benchmarks -- --filter '*'   (BenchmarkDotNet)
// dotnet run -c Release --project tests/SimpleAi.Benchmarks -- workflow        (measured loop on Azurite)
// Each run copies its report (with the machine it ran on) to docs/benchmarks/.
// dotnet run -c Release --project tests/SimpleAi.Benchmarks -- precall         (measured loop on Azurite)
// dotnet run -c Release --project tests/SimpleAi.Benchmarks -- transcripts     (measured loop on Azurite)
Func<Task<string>>? loop = args switch
{
    ["workflow"] => SimpleAi.Benchmarks.WorkflowThroughput.RunAsync,
    ["precall"] => SimpleAi.Benchmarks.PreCallLatency.RunAsync,
    ["transcripts"] => SimpleAi.Benchmarks.TranscriptCoalescing.RunAsync,
    _ => null,
};
if (loop is not null)
{
    var report = await loop();
    Console.WriteLine(report);
    var name = args[0] switch { "workflow" => "WorkflowThroughput", "precall" => "PreCallLatency", _ => "TranscriptCoalescing" };
    var path = Path.Combine(RepoPaths.Root, "docs", "benchmarks", name + ".md");
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    await File.WriteAllTextAsync(path, report);
    Console.WriteLine($"Wrote docs/benchmarks/{name}.md");
    return;
}

var config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
var summaries = BenchmarkSwitcher.FromAssembly(typeof(SimpleAi.Benchmarks.VerificationBenchmarks).Assembly).Run(args, config);

var target = Path.Combine(RepoPaths.Root, "docs", "benchmarks");
Directory.CreateDirectory(target);
foreach (var summary in summaries)
{
    foreach (var report in Directory.EnumerateFiles(summary.ResultsDirectoryPath, "*-report-github.md"))
    {
        var name = Path.GetFileName(report).Replace("SimpleAi.Benchmarks.", string.Empty, StringComparison.Ordinal)
            .Replace("-report-github", string.Empty, StringComparison.Ordinal);
        File.Copy(report, Path.Combine(target, name), overwrite: true);
        Console.WriteLine($"Wrote docs/benchmarks/{name}");
    }
}
