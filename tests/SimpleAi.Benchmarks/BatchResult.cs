namespace SimpleAi.Benchmarks;

/// <summary>One timed batch of an engine: wall time and each call's latency (accepted → last step done), in seconds.</summary>
public sealed record BatchResult(double Seconds, IReadOnlyList<double> Latencies);
