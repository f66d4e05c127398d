using System.Text.Json;

namespace SimpleAi.LocalHost;

/// <summary>
/// The <c>Values</c> of a Functions <c>local.settings.json</c>, as configuration keys (<c>__</c> becomes <c>:</c>, as
/// Core Tools' environment variables would be read): the app's <c>src/SimpleAi.Functions/local.settings.json</c>, else
/// the repository's <c>local.settings.sample.json</c>.
/// </summary>
public static class LocalSettings
{
    /// <summary>The settings file to use, looked for from <paramref name="start"/> up to the repository root; null when none exists.</summary>
    public static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SimpleAi.Functions.sln")))
            {
                var app = Path.Combine(dir.FullName, "src", "SimpleAi.Functions", "local.settings.json");
                var sample = Path.Combine(dir.FullName, "local.settings.sample.json");
                return File.Exists(app) ? app : File.Exists(sample) ? sample : null;
            }
        }

        return null;
    }

    public static Dictionary<string, string?> Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (document.RootElement.TryGetProperty("Values", out var section))
        {
            foreach (var value in section.EnumerateObject())
            {
                values[value.Name.Replace("__", ":", StringComparison.Ordinal)] =
                    value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString() : value.Value.GetRawText();
            }
        }

        return values;
    }
}
