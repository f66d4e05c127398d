namespace SimpleAi.Webhooks.PreCall;

/// <summary>The parameters Simple AI gets, and how they came about.</summary>
public sealed record PreCallAnswer(IReadOnlyDictionary<string, string> Parameters, PreCallReport Report);
