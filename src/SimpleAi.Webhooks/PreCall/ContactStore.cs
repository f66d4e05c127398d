using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.PreCall;

/// <summary>Contacts in the <c>contacts</c> table, one row per E.164 number (partition and row key = number), fields as strings.</summary>
public class ContactStore(TableServiceClient tables)
{
    /// <summary>The contact row's RowKey: the number, like its PartitionKey (a selective key, so a lookup stays a
    /// point read whatever the table's size, on Azurite too).</summary>
    public static string RowKeyOf(string e164) => e164;

    private TableClient Table => tables.GetTableClient(TableNames.Contacts);

    /// <returns>The contact's fields, or null for an unknown number.</returns>
    public virtual async Task<IReadOnlyDictionary<string, string>?> FindAsync(string e164, CancellationToken cancellationToken)
    {
        var entity = await Table.FindAsync<TableEntity>(e164, RowKeyOf(e164), cancellationToken);
        return entity is null ? null : Fields(entity);
    }

    public Task UpsertAsync(string e164, IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var entity = new TableEntity(e164, RowKeyOf(e164));
        foreach (var (name, value) in fields)
        {
            entity[name] = value;
        }

        return Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    private static Dictionary<string, string> Fields(TableEntity entity) =>
        entity.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag") && p.Value is not null)
            .ToDictionary(p => p.Key, p => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, StringComparer.Ordinal);
}
