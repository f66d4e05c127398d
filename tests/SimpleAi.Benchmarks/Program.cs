using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;
using SimpleAi.Testing;

// dotnet run -c Release --project tests/SimpleAi.Benchmarks -- --filter '*'   (BenchmarkDotNet)
// dotnet run -c Release --project tests/SimpleAi.Benchmarks -- workflow        (measured loop on Azurite)
// Each run copies its report (with the machine it ran on) to docs/benchmarks/.
if (args is ["workflow"])
{
    var report = await SimpleAi.Benchmarks.WorkflowThroughput.RunAsync();
    Console.WriteLine(report);
    var path = Path.Combine(RepoPaths.Root, "docs", "benchmarks", "WorkflowThroughput.md");
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    await File.WriteAllTextAsync(path, report);
    Console.WriteLine("Wrote docs/benchmarks/WorkflowThroughput.md");
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
