namespace SimpleAi.Webhooks.Destinations;

/// <summary>The gate's answer before a delivery: go, probe, or wait <paramref name="Wait"/> and ask again; <paramref name="Reason"/> says why.</summary>
public readonly record struct GateDecision(GateAction Action, TimeSpan Wait, string Reason)
{
    public static GateDecision Go { get; } = new(GateAction.Go, TimeSpan.Zero, string.Empty);
}

/// <summary>What a delivery does next, as <see cref="DestinationGate.BeforeAsync"/> decides.</summary>
public enum GateAction
{
    /// <summary>The destination is active: deliver.</summary>
    Go,

    /// <summary>The destination is paused and this delivery is its one probe: deliver and report the outcome with wasProbe.</summary>
    Probe,

    /// <summary>The destination is paused: do not deliver, ask again after <see cref="GateDecision.Wait"/>, spending no try.</summary>
    Wait,
}
