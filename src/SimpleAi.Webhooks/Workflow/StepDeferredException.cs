namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// Not yet: try the step again after <see cref="Delay"/> (the runner re-queues its message, delayed). A deferral
/// that <see cref="SpendsTry"/> counts the try, and a step that keeps deferring past <see cref="MaxTries"/> fails
/// the run with <see cref="Exception.Message"/>; a wait (<see cref="Wait"/>) gives the try back: the step did not
/// get to act (a rate limit, a paused destination).
/// </summary>
public sealed class StepDeferredException : Exception
{
    public StepDeferredException()
    {
    }

    public StepDeferredException(string message)
        : base(message)
    {
    }

    public StepDeferredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StepDeferredException(string message, TimeSpan delay, int maxTries)
        : base(message)
    {
        Delay = delay;
        MaxTries = maxTries;
        SpendsTry = true;
        Recorded = true;
    }

    public TimeSpan Delay { get; }

    /// <summary>The try at which deferring gives up and fails the run.</summary>
    public int MaxTries { get; }

    /// <summary>The try counts toward <see cref="MaxTries"/>; false for a <see cref="Wait"/>.</summary>
    public bool SpendsTry { get; private init; }

    /// <summary>The runner keeps the deferral in the step's tries (always, for one that <see cref="SpendsTry"/>).</summary>
    public bool Recorded { get; private init; }

    /// <summary>
    /// Try again after <paramref name="delay"/> without counting this try: the step did not act, or what it did is
    /// not held against it (a failure that paused its destination: <paramref name="recorded"/>, kept in its tries).
    /// </summary>
    public static StepDeferredException Wait(string reason, TimeSpan delay, bool recorded = false) =>
        new(reason, delay, int.MaxValue) { SpendsTry = false, Recorded = recorded };
}
