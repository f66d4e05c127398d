namespace SimpleAi.Benchmarks;

/// <summary>
/// How the Durable Task worker is set up. <see cref="Tuned"/> is what a user tuning for one busy worker on one machine
/// would set (one partition: one control queue to poll and no lease shuffling between partitions that one worker owns
/// anyway; more concurrent activities; extended sessions, which keep an orchestration in memory so that a message
/// arriving soon after its last episode skips the replay, and its history read, though only for half of the
/// concurrent orchestrations at a time, per the DurableTaskOptions.ExtendedSessionsEnabled docs). Measured here at
/// 200 calls (one round each): tuned 9.0 s, defaults 21.1 s. <see cref="Default"/> is the provider's defaults.
/// </summary>
public sealed record PeerTuning(string Name, int Partitions, int ConcurrentActivities, int ConcurrentOrchestrations, bool ExtendedSessions)
{
    public static readonly PeerTuning Default = new("default", 4, 10, 100, false);

    public static readonly PeerTuning Tuned = new("tuned", 1, 20, 100, true);

    /// <summary><c>SIMPLEAI_PEER_DTFX</c>: <c>tuned</c> (the default) or <c>default</c>.</summary>
    public static PeerTuning FromEnvironment() =>
        Environment.GetEnvironmentVariable("SIMPLEAI_PEER_DTFX") switch
        {
            null or "" or "tuned" => Tuned,
            "default" => Default,
            var other => throw new InvalidOperationException($"SIMPLEAI_PEER_DTFX is '{other}': use tuned or default."),
        };

    public override string ToString() =>
        $"{Name}: {Partitions} partition(s), {ConcurrentActivities} concurrent activities, {ConcurrentOrchestrations} concurrent orchestrations, extended sessions {(ExtendedSessions ? "on" : "off")}";
}
