namespace SimpleAi.Webhooks.Actions;

/// <summary>
/// How long an action waits after each retryable failure (408, 429, 5xx, a timeout, an unreachable endpoint) before
/// it tries again: <c>Actions:&lt;step&gt;:RetrySchedule</c>, durations separated by commas (<c>500ms</c>, <c>5s</c>,
/// <c>1m</c>, <c>2h</c>, <c>1d</c>). A delivery gets one try more than the schedule has delays; only a failure
/// after the last delay fails the run.
/// </summary>
public sealed class RetrySchedule
{
    /// <summary>5 s, 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: nine tries over 27 h 36 min 5 s.</summary>
    public const string Default = "5s,1m,5m,30m,2h,5h,10h,10h";

    /// <summary>
    /// The longest single wait, a schedule's or a receiver's <c>Retry-After</c>: under the 7 days a Storage queue
    /// message can stay invisible.
    /// </summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(6);

    /// <summary>The units a delay may end with, <c>ms</c> before <c>s</c>.</summary>
    private static readonly (string Unit, double Seconds)[] Units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)];

    private RetrySchedule(IReadOnlyList<TimeSpan> delays) => Delays = delays;

    public IReadOnlyList<TimeSpan> Delays { get; }

    /// <summary>Every try a delivery gets: the first, then one after each delay.</summary>
    public int Tries => Delays.Count + 1;

    public static RetrySchedule Parse(string? text) =>
        TryParse(text, out var schedule, out var error) ? schedule : throw new FormatException(error);

    public static bool TryParse(string? text, out RetrySchedule schedule, out string error)
    {
        var delays = new List<TimeSpan>();
        foreach (var part in (string.IsNullOrWhiteSpace(text) ? Default : text).Split(',', StringSplitOptions.TrimEntries))
        {
            if (!TryParseDelay(part, out var delay))
            {
                (schedule, error) = (null!, $"'{part}' is not a duration (a number and one of ms, s, m, h, d, e.g. 30s or 2h)");
                return false;
            }

            if (delay > MaxDelay)
            {
                (schedule, error) = (null!, $"'{part}' is longer than the {MaxDelay.TotalDays:0} days a queue message can wait");
                return false;
            }

            delays.Add(delay);
        }

        (schedule, error) = (new RetrySchedule(delays), string.Empty);
        return true;
    }

    /// <summary>
    /// The wait after the failed try <paramref name="attempt"/>: the receiver's <c>Retry-After</c> when it sent one
    /// (never undercut, at most <see cref="MaxDelay"/>), else the schedule's delay; null when that was the last try.
    /// </summary>
    public TimeSpan? DelayAfter(int attempt, TimeSpan? retryAfter)
    {
        if (attempt < 1 || attempt > Delays.Count)
        {
            return null;
        }

        return retryAfter is { } asked ? TimeSpan.FromTicks(Math.Clamp(asked.Ticks, 0, MaxDelay.Ticks)) : Delays[attempt - 1];
    }

    public override string ToString() => string.Join(",", Delays.Select(Format));

    private static bool TryParseDelay(string text, out TimeSpan delay)
    {
        delay = default;
        foreach (var (unit, seconds) in Units)
        {
            if (text.EndsWith(unit, StringComparison.Ordinal)
                && double.TryParse(text.AsSpan(0, text.Length - unit.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                delay = TimeSpan.FromSeconds(value * seconds);
                return true;
            }
        }

        return false;
    }

    private static string Format(TimeSpan delay) => delay.TotalMilliseconds % 1000 != 0
        ? $"{delay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms"
        : $"{delay.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
}
