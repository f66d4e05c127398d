namespace SimpleAi.LocalHost.Invocation;

/// <summary>The invocations running now and the ones that failed.</summary>
internal sealed class InvocationLog
{
    private readonly List<InvocationFailure> _failures = [];
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    public IReadOnlyList<InvocationFailure> Failures
    {
        get
        {
            lock (_failures)
            {
                return [.. _failures];
            }
        }
    }

    public void Started() => Interlocked.Increment(ref _inFlight);

    public void Ended() => Interlocked.Decrement(ref _inFlight);

    public void Failed(InvocationFailure failure)
    {
        lock (_failures)
        {
            _failures.Add(failure);
        }
    }
}
