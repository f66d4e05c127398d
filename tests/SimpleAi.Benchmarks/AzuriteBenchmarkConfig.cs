using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace SimpleAi.Benchmarks;

/// <summary>
/// For benchmarks of a millisecond round trip to Azurite: fewer, longer iterations than the default job (the noise
/// is the network stack and Azurite, not the timer), with the 95th percentile next to the mean.
/// </summary>
public sealed class AzuriteBenchmarkConfig : ManualConfig
{
    public AzuriteBenchmarkConfig()
    {
        AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(15).WithInvocationCount(128).WithUnrollFactor(1));
        AddColumn(StatisticColumn.P95);
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
