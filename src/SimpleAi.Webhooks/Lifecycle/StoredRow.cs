namespace SimpleAi.Webhooks.Lifecycle;

/// <summary>A table row a call left, by its keys.</summary>
public sealed record StoredRow(string Table, string PartitionKey, string RowKey);
