namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// One post-call workflow run. There is one per call, so the run id is the call id. Its data (small strings that
/// step conditions read, and references to large data) and the state of every step live in one Table row, so a
/// step's completion and its data are written together.
/// </summary>
public sealed class WorkflowRun
{
    public required string RunId { get; init; }

    public required string CallId { get; init; }

    /// <summary>The delivery that started the run.</summary>
    public required string EventId { get; init; }

    /// <summary>The <c>events</c> queue message that created the run: only it re-sends the first step after a crash.</summary>
    public string? StartedBy { get; init; }

    public RunStatus Status { get; set; }

    /// <summary>
    /// A run of one step started outside the workflow (a keyword trigger): it ends with that step. Its id is
    /// <c>{call_id}:trigger:{name}</c>, which makes it once per call and trigger.
    /// </summary>
    public bool IsSingleStep => RunId != CallId;

    /// <summary><c>{call_id}:{step}</c> for the post-call run; <c>{run_id}:{step}</c> for a single-step run.</summary>
    public string IdempotencyKey(string step) => $"{(IsSingleStep ? RunId : CallId)}:{step}";

    public Dictionary<string, string> Data { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, StepState> Steps { get; init; } = new(StringComparer.Ordinal);

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Where <see cref="Data"/> lives when it outgrew the row (see <see cref="RunStore"/>), else null.</summary>
    internal string? DataBlob { get; set; }

    /// <summary>The row's version, for the conditional write that keeps concurrent writers apart.</summary>
    public ETag ETag { get; set; }

    /// <summary>The run as stored at <see cref="ETag"/>, when it is small enough to ride in a step message.</summary>
    internal RunSnapshot? Stored { get; set; }
}

public enum RunStatus
{
    Running,
    Completed,
    Failed,
}
