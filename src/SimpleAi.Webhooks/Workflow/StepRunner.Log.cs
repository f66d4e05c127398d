namespace SimpleAi.Webhooks.Workflow;

/// <summary>What <see cref="StepRunner"/> logs: texts and event ids that operators and tests read.</summary>
public sealed partial class StepRunner
{
    [LoggerMessage(1, LogLevel.Information, "Step {Step} of run {RunId} completed; next {Next}")]
    private partial void LogCompleted(string step, string runId, string next);

    /// <summary>
    /// One line per failed try: the host's try of tries, the error, and the next try or the end. The exception goes with
    /// it to telemetry (Application Insights puts the line in <c>exceptions</c>). <c>LastTry</c> is a dimension, not
    /// text: the workbook's runs-in-progress tile reads <c>customDimensions.LastTry</c>.
    /// </summary>
#pragma warning disable SYSLIB1015 // LastTry: a dimension the workbook reads, said in words by Then.
    [LoggerMessage(2, LogLevel.Warning, "Step {Step} of run {RunId} failed on try {Attempt} of {Tries}: {Error}; {Then}")]
    private partial void LogStepFailed(Exception exception, string step, string runId, long attempt, int tries, string error, string then, bool LastTry);
#pragma warning restore SYSLIB1015

    [LoggerMessage(3, LogLevel.Warning, "Could not record the failure of step {Step} of run {RunId}")]
    private partial void LogFailureNotRecorded(Exception exception, string step, string runId);

    [LoggerMessage(4, LogLevel.Information, "Step {Step} of run {RunId}: duplicate message dropped ({Why})")]
    private partial void LogDuplicate(string step, string runId, string why);

    [LoggerMessage(5, LogLevel.Information, "Step {Step} of run {RunId} was already completed; re-sent next step {Next}")]
    private partial void LogRedrive(string step, string runId, string next);

    [LoggerMessage(7, LogLevel.Information, "Step {Step} of run {RunId} deferred after try {Attempt} for {Delay}: {Reason}")]
    private partial void LogDeferred(string step, string runId, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(6, LogLevel.Error, "Moved a message from {Queue} to its poison queue: {Reason} (run {RunId}, event {EventId})")]
    private partial void LogPoisoned(string queue, string reason, string? runId, string? eventId);

    /// <summary>The field as the rule names it and why it could not be used: never its value (call data is personal data).</summary>
    [LoggerMessage(9, LogLevel.Information, "Step {Step} of run {RunId} skipped: its condition reads field {Field}, {Cause}")]
    private partial void LogSkippedForField(string step, string runId, string field, string cause);
}
