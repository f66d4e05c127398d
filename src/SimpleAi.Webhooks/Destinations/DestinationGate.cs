using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Storage;
using SimpleAi.Webhooks.Telemetry;

namespace SimpleAi.Webhooks.Destinations;

/// <summary>
/// Pauses a destination (an action step) that keeps failing, and lets one probe at a time find out whether it recovered.
/// State lives in table <c>destinations</c> (one row per destination, every write conditional on the ETag read), so
/// every instance of the app sees one pause and one probe. Each instance keeps each row for <see cref="CacheTime"/>:
/// a healthy destination's deliveries cost no storage request, and a pause (or an operator's pause) reaches every
/// instance within that time. Decisions are <see cref="DestinationRules"/>'; this class reads, writes and reports them.
/// </summary>
/// <param name="actions">Each action step's settings, for its timeout (the probe lease outlasts it); the CLI, which never probes, has none.</param>
public sealed partial class DestinationGate(
    TableServiceClient tables,
    IOptions<DestinationOptions> options,
    TimeProvider time,
    ILogger<DestinationGate> logger,
    IOptionsMonitor<ActionEndpointOptions>? actions = null)
{
    /// <summary>How long an instance answers from the row it last read or wrote.</summary>
    public static readonly TimeSpan CacheTime = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Rounds of read-decide-write when another instance changed the row in between (412). A delivery that loses them all
    /// (instances failing the same destination at once) goes on without its write: its failure or success is not
    /// counted, or it waits a second and asks again, rather than failing its try on the gate's bookkeeping.
    /// </summary>
    private const int WriteRounds = 16;

    private readonly ConcurrentDictionary<string, Cached> _cache = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    private TableClient Table => tables.GetTableClient(TableNames.Destinations);

    private TimeSpan Recheck => TimeSpan.FromSeconds(options.Value.RecheckSeconds);

    /// <summary>Before each delivery attempt: go, probe (this delivery is the one probe), or wait and ask again.</summary>
    public async Task<GateDecision> BeforeAsync(string destination, string deliveryId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        var lease = DestinationRules.ProbeLeaseFor(TimeSpan.FromSeconds(actions?.Get(destination).TimeoutSeconds ?? 0));
        if (Fresh(destination) is { } known && DestinationRules.Before(known, deliveryId, time.GetUtcNow(), Recheck, lease) is { Claim: null } cached)
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
        if (Fresh(destination) is { } known && DestinationRules.Succeeded(known, time.GetUtcNow()).Next is null)
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
    public async Task<IReadOnlyList<DestinationState>> ListAsync(CancellationToken cancellationToken)
    {
        var states = new List<DestinationState>();
        await foreach (var row in Table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            states.Add(DestinationRow.FromEntity(row));
        }

        return states.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

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

    /// <summary>The row as this instance last saw it, when that is younger than <see cref="CacheTime"/>.</summary>
    private DestinationState? Fresh(string destination) =>
        _cache.TryGetValue(destination, out var cached) && time.GetUtcNow() - cached.At < CacheTime ? cached.State : null;

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
                async (round, ct) => (fresh || round > 1 ? null : Fresh(destination)) ?? await ReadAsync(destination, ct),
                state =>
                {
                    var (next, result, change) = decide(state);
                    return next is null
                        ? ETagDecision<(DestinationState, DestinationChange), T>.Answer(result)
                        : ETagDecision<(DestinationState, DestinationChange), T>.Write((next, change), result);
                },
                async (state, write, ct) => await TryWriteAsync(state, write.Item1, ct) is { } written && Report(written, write.Item2, changed),
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

    /// <summary>Reads the row; a destination seen for the first time gets an active row, so <c>destinations</c> lists it.</summary>
    private async Task<DestinationState> ReadAsync(string destination, CancellationToken cancellationToken)
    {
        for (var round = 1; ; round++)
        {
            if (await Table.FindAsync<TableEntity>(destination, destination, cancellationToken) is { } row)
            {
                return Remember(DestinationRow.FromEntity(row));
            }

            var created = DestinationState.New(destination);
            if (await Table.TryInsertAsync(DestinationRow.ToEntity(created), cancellationToken) is { } etag)
            {
                return Remember(created with { ETag = etag });
            }

            if (round == WriteRounds)
            {
                throw new InvalidOperationException($"The row of destination {destination} was inserted and deleted {WriteRounds} times while it was read.");
            }
        }
    }

    /// <summary>Writes the next state if the row is as read; null when another instance wrote or deleted it meanwhile.</summary>
    private async Task<DestinationState?> TryWriteAsync(DestinationState read, DestinationState next, CancellationToken cancellationToken)
    {
        var write = Table.UpdateEntityAsync(DestinationRow.ToEntity(next), read.ETag, TableUpdateMode.Replace, cancellationToken);
        if (!await ETagRetry.WonAsync(write, deletedLoses: true))
        {
            _cache.TryRemove(read.Name, out _);
            return null;
        }

        return Remember(next with { ETag = (await write).Headers.ETag ?? throw new InvalidOperationException("Table Storage returned no ETag.") });
    }

    private DestinationState Remember(DestinationState state)
    {
        _cache[state.Name] = new Cached(state, time.GetUtcNow());
        return state;
    }

    private void Paused(DestinationState state, string by)
    {
        WebhookTelemetry.DestinationStateChanged(state.Name, "paused", by);
        if (by == "operator")
        {
            LogPausedByOperator(state.Name, state.PauseReason);
        }
        else
        {
            LogPaused(state.Name, state.FailureStreak, state.LastError, state.NextProbeAt);
        }
    }

    private void Resumed(string destination, string by)
    {
        WebhookTelemetry.DestinationStateChanged(destination, "resumed", by);
        LogResumed(destination, by);
    }

    /// <summary>Outbound URLs are secrets: one in a failure reason is masked, and the reason is kept short.</summary>
    private static string Masked(string reason)
    {
        var masked = UrlPattern().Replace(reason ?? string.Empty, "(url)");
        return masked.Length <= DestinationRules.MaxReasonLength ? masked : masked[..DestinationRules.MaxReasonLength];
    }

    [GeneratedRegex(@"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s)\]""'<>]+")]
    private static partial Regex UrlPattern();

    [LoggerMessage(1, LogLevel.Warning, "Destination {Destination} paused after {FailureStreak} failures in a row (last: {LastError}): its deliveries wait; the first probe is at {NextProbeAt:O}")]
    private partial void LogPaused(string destination, int failureStreak, string? lastError, DateTimeOffset? nextProbeAt);

    [LoggerMessage(2, LogLevel.Warning, "Destination {Destination} paused by an operator ({Reason}): its deliveries wait until it is resumed")]
    private partial void LogPausedByOperator(string destination, string? reason);

    [LoggerMessage(3, LogLevel.Information, "Destination {Destination} resumed by {ResumedBy}: its waiting deliveries go out as they ask again")]
    private partial void LogResumed(string destination, string resumedBy);

    private sealed record Cached(DestinationState State, DateTimeOffset At);
}
