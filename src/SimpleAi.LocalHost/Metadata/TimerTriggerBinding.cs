namespace SimpleAi.LocalHost.Metadata;

/// <summary>A <c>timerTrigger</c> binding: an NCRONTAB expression (or a TimeSpan), run on start-up or not, with the schedule monitor or not.</summary>
public sealed record TimerTriggerBinding(string ParameterName, string Schedule, bool RunOnStartup, bool UseMonitor) : FunctionTrigger(ParameterName);
