namespace SimpleAi.Functions.Http;

internal static class HeaderDictionaryExtensions
{
    /// <summary>A header's value, null when absent; repeated headers are joined with spaces, as signature lists are.</summary>
    public static string? GetSingle(this IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count > 0
            ? values.Count == 1 ? values[0] : string.Join(' ', values.ToArray())
            : null;
}
