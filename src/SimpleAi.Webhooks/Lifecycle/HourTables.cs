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

/// <summary>
/// A table partitioned by the UTC hour its rows were written (<c>yyyyMMddHH</c>, as <c>callindex</c>) whose rows of a
/// number start with a prefix of it: retention deletes its hours older than the window, erasure a number's rows of every
/// hour, both by key (see <see cref="HourTables.All"/>).
/// </summary>
/// <param name="NumberPrefix">The RowKey prefix of an E.164 number's rows, e.g. <c>e164 => e164 + "|"</c>.</param>
public sealed record HourTable(string Table, Func<string, string> NumberPrefix);
