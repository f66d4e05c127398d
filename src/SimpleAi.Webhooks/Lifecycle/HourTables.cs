using SimpleAi.Webhooks.PreCall;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Lifecycle;

/// <summary>
/// The tables of hour partitions, besides <c>callindex</c>, that hold callers' numbers: the retention sweep empties their
/// hours older than the window, and erasure removes a number's rows from each hour. A new such table is one line here.
/// </summary>
public static class HourTables
{
    public static readonly IReadOnlyList<HourTable> All =
    [
        // Pre-call answers: RowKey {E164}|{inverted ticks} (PreCallRecordStore).
        new HourTable(TableNames.PreCalls, PreCallRecordStore.RowKeyPrefixOf),
    ];
}
