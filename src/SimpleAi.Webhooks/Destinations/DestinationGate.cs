using System.Collections.Concurrent;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Destinations;

/// <summary>
/// Pauses a destination (an action step) that keeps failing, and lets one probe at a time find out whether it recovered.
/// State lives in table <c>destinations</c> (one row per destination, every write conditional on the ETag read), so
/// every instance of the app sees one pause and one probe. Each instance keeps each row for <see cref="CacheTime"/>:
/// a healthy destination's deliveries cost no storage request, and a pause (or an operator's pause) reaches every
/// instance within that time. Decisions are <see cref="DestinationRules"/>'; this class reads, writes and reports them.
/// </summary>
public sealed partial class DestinationGate(
    TableServiceClient tables,
    IOptions<DestinationOptions> options,
    TimeProvider time,
    ILogger<DestinationGate> logger)
{
    /// <summary>How long an instance answers from the row it last read or wrote.</summary>
    public static readonly TimeSpan CacheTime = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Rounds of read-decide-write when another instance changed the row in between (412). A delivery that loses them all
    /// (instances failing the same destination at once) goes on without its write: its failure or success is not
    /// counted, or it waits a second and asks again, rather than failing its try on the gate's bookkeeping.
    /// </summary>
    private const int WriteRounds = 16;

    private readonly DestinationRows _rows = new(tables, time, CacheTime, WriteRounds);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    private TimeSpan Recheck => TimeSpan.FromSeconds(options.Value.RecheckSeconds);

    /// <summary>Before each delivery attempt: go, probe (this delivery is the one probe), or wait and ask again.</summary>
    public Task<GateDecision> BeforeAsync(string destination, string deliveryId, CancellationToken cancellationToken) =>
        BeforeAsync(destination, deliveryId, TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// Before each delivery attempt: go, probe (this delivery is the one probe), or wait and ask again.
    /// <paramref name="tryTimeout"/> is the time one delivery may take: a probe's claim outlasts it
    /// (<see cref="DestinationRules.ProbeLeaseFor"/>).
    /// </summary>
    public async Task<GateDecision> BeforeAsync(string destination, string deliveryId, TimeSpan tryTimeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        var lease = DestinationRules.ProbeLeaseFor(tryTimeout);
        if (_rows.Fresh(destination) is { } known && DestinationRules.Before(known, deliveryId, time.GetUtcNow(), Recheck, lease) is { Claim: null } cached)
        {
            return cached.Decision;
        }

        return await UpdateAsync(destination, fresh: false, state =>
        {
            var (decision, claim) = DestinationRules.Before(state, deliveryId, time.GetUtcNow(), Recheck, lease);
            return (claim, decision, DestinationChange.None);
        }, Unchanged, _ => new GateDecision(GateAction.Wait, DestinationRules.MinWait, $"destination {destination} is changing under other deliveries: ask again"), cancellationToken);
    }

    /// <summary>After a 2xx: resets a failure streak, and resumes a destination paused by failures.</summary>
    public async Task SucceededAsync(string destination, bool wasProbe, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        if (_rows.Fresh(destination) is { } known && DestinationRules.Succeeded(known, time.GetUtcNow()).Next is null)
        {
            return;
        }

        await UpdateAsync(destination, fresh: false, state =>
        {
            var (next, change) = DestinationRules.Succeeded(state, time.GetUtcNow());
            return (next, 0, change);
        }, written => Resumed(written.Name, wasProbe ? "probe" : "delivery"), _ => 0, cancellationToken);
    }

    /// <summary>
    /// After a retryable failure (408, 429, 5xx, timeout, unreachable) with its reason (a status or transport error; a URL
    /// in it is masked). True when the destination is paused now: the caller waits instead of spending a try.
    /// </summary>
    public async Task<bool> FailedAsync(string destination, string reason, bool wasProbe, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        var safeReason = Masked(reason);
        return await UpdateAsync(destination, fresh: false, state =>
        {
            var (next, change) = DestinationRules.Failed(
                state, safeReason, wasProbe, time.GetUtcNow(), options.Value.PauseAfterFailures, TimeSpan.FromSeconds(options.Value.FirstProbeSeconds));
            return (next, (next ?? state).IsPaused, change);
        }, written => Paused(written, "failures"), last => last.IsPaused, cancellationToken);
    }

    /// <summary>Every destination with a row (one is written when an instance first delivers to it), by name.</summary>
    public Task<IReadOnlyList<DestinationState>> ListAsync(CancellationToken cancellationToken) => _rows.ListAsync(cancellationToken);

    /// <summary>An operator's pause: deliveries wait, no probe runs, until <see cref="ResumeAsync"/>.</summary>
    public Task PauseAsync(string destination, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        var safeReason = Masked(reason);
        return UpdateAsync(destination, fresh: true, state =>
        {
            var (next, change) = DestinationRules.Pause(state, safeReason, time.GetUtcNow());
            return (next, 0, change);
        }, written => Paused(written, "operator"), null, cancellationToken);
    }

    /// <summary>An operator's resume: deliveries go again (on each instance within <see cref="CacheTime"/>, and as each waiting one asks again).</summary>
    public Task ResumeAsync(string destination, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        return UpdateAsync(destination, fresh: true, state =>
        {
            var (next, change) = DestinationRules.Resume(state);
            return (next, 0, change);
        }, written => Resumed(written.Name, "operator"), null, cancellationToken);
    }

    /// <summary>
    /// Reads the row (from the cache unless <paramref name="fresh"/>), decides, and writes the decision conditionally on
    /// the ETag read; when another instance wrote in between (412; 404 when someone deleted the row), reads again and
    /// decides again. A change of state is reported (<paramref name="changed"/>: metric and log) once its write succeeded.
    /// When every round lost, <paramref name="contended"/> answers from the row last read (null: the 412 is thrown).
    /// One caller per destination at a time in this instance, so concurrent deliveries here share one read.
    /// </summary>
    private async Task<T> UpdateAsync<T>(
        string destination,
        bool fresh,
        Func<DestinationState, (DestinationState? Next, T Result, DestinationChange Change)> decide,
        Action<DestinationState> changed,
        Func<DestinationState, T>? contended,
        CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(destination, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await ETagRetry.UpdateAsync(
                WriteRounds,
                async (round, ct) => (fresh || round > 1 ? null : _rows.Fresh(destination)) ?? await _rows.ReadAsync(destination, ct),
                state =>
                {
                    var (next, result, change) = decide(state);
                    return next is null
                        ? ETagDecision<(DestinationState, DestinationChange), T>.Answer(result)
                        : ETagDecision<(DestinationState, DestinationChange), T>.Write((next, change), result);
                },
                async (state, write, ct) => await _rows.TryWriteAsync(state, write.Item1, ct) is { } written && Report(written, write.Item2, changed),
                state => contended is null
                    ? throw new RequestFailedException(412, $"Destination {destination} changed under {WriteRounds} writes in a row.", "UpdateConditionNotSatisfied", null)
                    : contended(state),
                cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Reports a change of state (metric and log) once its write succeeded.</summary>
    private static bool Report(DestinationState written, DestinationChange change, Action<DestinationState> changed)
    {
        if (change != DestinationChange.None)
        {
            changed(written);
        }

        return true;
    }

    private static void Unchanged(DestinationState state)
    {
    }

}
