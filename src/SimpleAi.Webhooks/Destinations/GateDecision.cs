namespace SimpleAi.Webhooks.Destinations;

/// <summary>The gate's answer before a delivery: go, probe, or wait <paramref name="Wait"/> and ask again; <paramref name="Reason"/> says why.</summary>
public readonly record struct GateDecision(GateAction Action, TimeSpan Wait, string Reason)
{
    public static GateDecision Go { get; } = new(GateAction.Go, TimeSpan.Zero, string.Empty);
}
