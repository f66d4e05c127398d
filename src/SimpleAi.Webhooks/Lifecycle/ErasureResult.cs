namespace SimpleAi.Webhooks.Lifecycle;

/// <summary>What an erasure deleted (or, for a dry run, would delete); <see cref="Audit"/> is null for a dry run.</summary>
/// <param name="Live">Erased calls the index shows still live: events still to come for them bring new data, to be erased in turn.</param>
public sealed record ErasureResult(
    IReadOnlyList<CallFootprint> Calls, bool Contact, int HourRows, int PoisonMessages, IReadOnlyList<string> Live, ErasureAudit? Audit)
{
    public int Rows => Calls.Sum(c => c.Rows.Count) + HourRows + (Contact ? 1 : 0);

    public int Blobs => Calls.Sum(c => c.Blobs.Count);
}
