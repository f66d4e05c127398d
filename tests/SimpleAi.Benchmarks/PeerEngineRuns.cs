namespace SimpleAi.Benchmarks;

/// <summary>What one engine produced at one size: its timed batches and the requests of its counted batch.</summary>
public sealed class PeerEngineRuns(PeerEngineSpec engine)
{
    public PeerEngineSpec Engine { get; } = engine;

    public List<BatchResult> Batches { get; } = [];

    public Dictionary<string, int> Requests { get; set; } = new(StringComparer.Ordinal);

    public double MedianSeconds
    {
        get
        {
            var sorted = Batches.Select(b => b.Seconds).Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }

    /// <summary>The latency at <paramref name="fraction"/> over every timed call of every round (nearest rank).</summary>
    public double Percentile(double fraction)
    {
        var sorted = Batches.SelectMany(b => b.Latencies).Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public double RequestsPerCall(int calls) => (double)Requests.Values.Sum() / calls;
}
