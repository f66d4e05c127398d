namespace SimpleAi.Benchmarks;

/// <summary>
/// One engine of the peer benchmark, started on one emulator: it runs batches of calls of the same workflow (accept
/// the call, then three no-op steps in order) and says when each call was accepted and when its last step ran.
/// </summary>
public interface IPeerEngine : IAsyncDisposable
{
    /// <summary>Sends <see cref="CallClock.Calls"/> calls, all at once, and returns when every call's last step ran.</summary>
    Task RunAsync(CallClock clock, TimeSpan timeout);

    /// <summary>Waits until the engine has nothing left to do (its queues empty), so the next batch starts on an idle engine.</summary>
    Task SettleAsync(TimeSpan timeout);

    /// <summary>Throws if anything failed on the way (a failed function, an orchestration that did not complete).</summary>
    void ThrowIfFailed();
}
