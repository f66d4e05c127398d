using System.Collections.Concurrent;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Testing;

/// <summary>
/// What the test steps did: every invocation with its idempotency key, as a receiving endpoint would see it.
/// A receiver that honours the key sees each distinct key once; that is the "exactly once" of a side effect.
/// </summary>
public sealed class EffectLog
{
    private readonly ConcurrentQueue<StepContext> _invocations = new();

    /// <summary>A fault to throw after the side effect, to simulate a crash or a failing step.</summary>
    public Func<StepContext, Exception?> FaultAfterEffect { get; set; } = _ => null;

    public IReadOnlyCollection<StepContext> Invocations => _invocations;

    public void Record(StepContext context) => _invocations.Enqueue(context);

    public int InvocationsOf(string callId, string step) =>
        _invocations.Count(i => i.CallId == callId && i.Step == step);

    /// <summary>How many distinct side effects (idempotency keys) a receiver saw for this call.</summary>
    public IReadOnlyDictionary<string, int> EffectsPerStep(string callId) =>
        _invocations.Where(i => i.CallId == callId)
            .GroupBy(i => i.Step)
            .ToDictionary(g => g.Key, g => g.Select(i => i.IdempotencyKey).Distinct().Count());
}
