using System.Collections.Concurrent;
using System.Diagnostics;

namespace SimpleAi.Benchmarks;

/// <summary>
/// When each call of a batch was accepted and when its last step was done, on one monotonic clock, so that a batch's
/// wall time (first acceptance started → last step done) and each call's latency (accepted → last step done) come
/// from the same readings for every engine.
/// </summary>
public sealed class CallClock(int calls)
{
    private readonly ConcurrentDictionary<string, bool> _sent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _accepted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _done = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _allDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _started;

    public int Calls { get; } = calls;

    /// <summary>Starts the batch's clock: just before the first call is sent.</summary>
    public void Start() => _started = Stopwatch.GetTimestamp();

    /// <summary>The call belongs to this batch (say so before sending it): only such calls count as done.</summary>
    public void Sent(string call) => _sent.TryAdd(call, true);

    public void Accepted(string call) => _accepted.TryAdd(call, Stopwatch.GetTimestamp());

    /// <summary>
    /// The call's last step ran (the first time counts: a step run again by a retry is not a later finish). A call of
    /// another batch (a warm-up call finishing late) is not counted.
    /// </summary>
    public void Done(string call)
    {
        if (_sent.ContainsKey(call) && _done.TryAdd(call, Stopwatch.GetTimestamp()) && _done.Count == Calls)
        {
            _allDone.TrySetResult();
        }
    }

    /// <summary>Waits until every call's last step ran, or throws at the deadline saying how many did.</summary>
    public async Task WaitAsync(TimeSpan timeout, Func<string>? describe = null)
    {
        try
        {
            await _allDone.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{_done.Count} of {Calls} calls finished within {timeout.TotalSeconds:F0} s. {describe?.Invoke()}");
        }
    }

    /// <summary>First send started → the last call's last step done.</summary>
    public double WallSeconds => Stopwatch.GetElapsedTime(_started, _done.Values.Max()).TotalSeconds;

    /// <summary>Accepted → last step done, per call, in seconds.</summary>
    public IReadOnlyList<double> LatencySeconds() =>
        _done.Select(d => Stopwatch.GetElapsedTime(_accepted.TryGetValue(d.Key, out var accepted) ? accepted : _started, d.Value).TotalSeconds).ToList();
}
