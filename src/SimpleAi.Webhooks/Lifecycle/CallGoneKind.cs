namespace SimpleAi.Webhooks.Lifecycle;

public enum CallGoneKind
{
    /// <summary>Deleted by <c>erase</c>; the erasure's audit names the call.</summary>
    Erased,

    /// <summary>Deleted by the retention sweep: it started before the sweep's watermark.</summary>
    Purged,
}
