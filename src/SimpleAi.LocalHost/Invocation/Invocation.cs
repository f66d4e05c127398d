namespace SimpleAi.LocalHost.Invocation;

/// <summary>What one invocation brings to a function's parameters: the trigger's value and binding data (an HTTP trigger's holds its route values), and the caller's trace context.</summary>
internal sealed record Invocation(
    object Trigger,
    IReadOnlyDictionary<string, object?> BindingData,
    HandledMessage? Handling,
    string? TraceParent,
    string? TraceState,
    CancellationToken CancellationToken);
