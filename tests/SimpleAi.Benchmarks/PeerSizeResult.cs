namespace SimpleAi.Benchmarks;

/// <summary>Every engine's runs at one batch size, keyed by engine.</summary>
public sealed record PeerSizeResult(int Calls, IReadOnlyDictionary<string, PeerEngineRuns> Runs);
