namespace SimpleAi.Webhooks.Hosting;

/// <summary>
/// The <c>Values</c> of a Functions <c>local.settings.json</c> as configuration keys (<c>__</c> becomes <c>:</c>, as
/// Core Tools' environment variables are read), for the local host and the CLI alike. A file that is not valid JSON
/// fails as a configuration file does (<see cref="ConfigurationErrors"/> names it with its line).
/// </summary>
public static class LocalSettingsFile
{
    public static Dictionary<string, string?> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("Values", out var section)
                && section.ValueKind == JsonValueKind.Object)
            {
                foreach (var value in section.EnumerateObject())
                {
                    values[value.Name.Replace("__", ":", StringComparison.Ordinal)] =
                        value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString() : value.Value.GetRawText();
                }
            }
        }
        catch (JsonException e)
        {
            // The message the configuration's own JSON files fail with, so that every host reports both alike.
            throw new InvalidDataException($"Failed to load configuration from file '{Path.GetFullPath(path)}'.", e);
        }

        return values;
    }
}
