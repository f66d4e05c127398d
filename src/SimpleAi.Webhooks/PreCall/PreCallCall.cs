namespace SimpleAi.Webhooks.PreCall;

/// <summary>
/// The call Simple AI asks about, as its pre-call request describes it. <see cref="CustomerNumber"/> is the E.164 number
/// of the customer (the caller of an inbound call, the callee of an outbound one), empty when it is not a usable number.
/// </summary>
public sealed record PreCallCall(
    string CustomerNumber,
    string? FromNumber,
    string? ToNumber,
    string? Direction,
    string? AgentId,
    string? AgentName,
    ReadOnlyMemory<byte> Body);
