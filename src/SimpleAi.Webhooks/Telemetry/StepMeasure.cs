namespace SimpleAi.Webhooks.Telemetry;

/// <summary>Records one step try's duration with its outcome when disposed.</summary>
internal readonly struct StepMeasure(string step, TimeProvider time, Func<string> outcome) : IDisposable
{
    private readonly long _started = time.GetTimestamp();

    public void Dispose() => WebhookTelemetry.StepDuration.Record(
        time.GetElapsedTime(_started).TotalMilliseconds,
        new KeyValuePair<string, object?>("step", step),
        new KeyValuePair<string, object?>("outcome", outcome()));
}
