namespace SimpleAi.Webhooks.Lifecycle;

/// <summary>
/// A table partitioned by the UTC hour its rows were written (<c>yyyyMMddHH</c>, as <c>callindex</c>) whose rows of a
/// number start with a prefix of it: retention deletes its hours older than the window, erasure a number's rows of every
/// hour, both by key (see <see cref="HourTables.All"/>).
/// </summary>
/// <param name="NumberPrefix">The RowKey prefix of an E.164 number's rows, e.g. <c>e164 => e164 + "|"</c>.</param>
public sealed record HourTable(string Table, Func<string, string> NumberPrefix);
