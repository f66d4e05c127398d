using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;
using SimpleAi.Testing;

// dotnet run -c Release --project tests/SimpleAi.Benchmarks -- --filter '*'
// Each run copies its GitHub-markdown report (with the machine it ran on) to docs/benchmarks/.
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
