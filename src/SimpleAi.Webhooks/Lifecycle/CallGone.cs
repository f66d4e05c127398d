namespace SimpleAi.Webhooks.Lifecycle;

/// <summary>Why a call's data is gone, and when: erased on request, or purged by retention.</summary>
/// <param name="Finished">False while the purge or erasure that began on <paramref name="On"/> has not finished (it finishes on its next run).</param>
public sealed record CallGone(CallGoneKind Kind, DateTimeOffset On, bool Finished = true)
{
    /// <summary>"erased on 2026-12-07 10:00:00Z", "purged on …" (what <c>status</c> and <c>replay</c> say).</summary>
    public override string ToString() =>
        $"{(Kind == CallGoneKind.Erased ? "erased" : "purged")} on {On.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z{(Finished ? string.Empty : " (the rest goes on the next run)")}";
}
