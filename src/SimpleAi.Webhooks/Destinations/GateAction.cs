namespace SimpleAi.Webhooks.Destinations;

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
