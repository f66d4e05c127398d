using System.ComponentModel.DataAnnotations;

namespace SimpleAi.Webhooks.Lifecycle;

/// <summary>How long call data is kept (section <c>Retention</c>): <c>Retention__Days</c>, the same value the Bicep gives the blob lifecycle policy.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>
    /// The app setting that says when the <c>RetentionSweep</c> function runs: an NCRONTAB expression with seconds,
    /// <c>0 30 3 * * *</c> (daily, 03:30 UTC) in the sample settings and the Bicep. The timer trigger reads it as a
    /// <c>%…%</c> expression, so it must be set.
    /// </summary>
    public const string SweepScheduleSetting = "Retention:SweepSchedule";

    /// <summary>
    /// Days a call's data is kept after the call started: rows, blobs and poison messages of a call that started
    /// longer ago are deleted by the next sweep (whole UTC hours: a call is gone at most one hour and one sweep
    /// interval after it passed the window).
    /// </summary>
    [Range(1, 3650, ErrorMessage = "Retention__Days must be a whole number of days from 1 to 3650.")]
    public int Days { get; set; } = 30;
}
