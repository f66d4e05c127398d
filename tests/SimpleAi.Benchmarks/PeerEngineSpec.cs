namespace SimpleAi.Benchmarks;

/// <summary>An engine of the peer benchmark: its short key, how the report describes it, and how to start it on an emulator.</summary>
public sealed record PeerEngineSpec(string Key, string Description, Func<string, Task<IPeerEngine>> Start);
