namespace SimpleAi.Webhooks.PreCall;

/// <summary>
/// One pre-call answer as it was given: to whom (<see cref="Caller"/>, the customer's E.164 number, empty when the
/// request held no usable number), when, the parameters the agent was told, and how they came about. Personal data:
/// it lives in the <c>precalls</c> table under the data lifecycle's retention and erasure, and is never logged.
/// </summary>
public sealed record PreCallRecord(
    string Caller,
    string? Direction,
    string? AgentId,
    DateTimeOffset AnsweredAt,
    IReadOnlyDictionary<string, string> Parameters,
    PreCallReport Report);
