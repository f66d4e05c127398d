namespace SimpleAi.Webhooks.Workflow;

/// <summary>What a step gets to do its work.</summary>
/// <param name="IdempotencyKey"><c>{call_id}:{step}</c>: send it with every side effect so a receiver can drop a repeat.</param>
/// <param name="Attempt">1 for the first try; a step may run again after a crash or a failure.</param>
public sealed record StepContext(
    string RunId,
    string CallId,
    string EventId,
    string Step,
    IReadOnlyDictionary<string, string> Data,
    int Attempt,
    string IdempotencyKey);
