namespace SimpleAi.Webhooks.Lifecycle;

/// <summary>
/// The tables of hour partitions, besides <c>callindex</c>, that hold callers' numbers: the retention sweep empties their
/// hours older than the window, and erasure removes a number's rows from each hour. A new such table is one line here,
/// e.g. <c>new HourTable(TableNames.PreCalls, e164 => e164 + "|")</c> for pre-call answers keyed <c>{E164}|{inverted ticks}</c>.
/// </summary>
public static class HourTables
{
    public static readonly IReadOnlyList<HourTable> All = [];
}
