using Microsoft.Azure.WebJobs.Host;

namespace SimpleAi.LocalHost;

/// <summary>
/// The app's host.json as the Functions host reads it: its <c>extensions</c> section becomes WebJobs configuration
/// (<c>AzureWebJobs:extensions:queues:…</c>), which the Storage Queues extension binds to <see cref="QueuesOptions"/>
/// itself (<c>AddExtension&lt;QueuesExtensionConfigProvider&gt;().BindOptions&lt;QueuesOptions&gt;()</c>).
/// </summary>
public static class HostJson
{
    public const string FileName = "host.json";

    /// <summary>The WebJobs configuration root the extensions bind their options under.</summary>
    private const string WebJobsRoot = "AzureWebJobs";

    /// <summary>host.json's <c>extensions</c> settings as WebJobs configuration keys.</summary>
    public static IReadOnlyDictionary<string, string?> WebJobsSettings(string path)
    {
        var extensions = Load(path).GetSection("extensions");
        return extensions.AsEnumerable()
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => $"{WebJobsRoot}:{pair.Key}", pair => pair.Value, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The queue trigger options host.json gives, bound the way the extension binds them (defaults where it is silent).</summary>
    public static QueuesOptions QueuesOptions(string path)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(WebJobsSettings(path)).Build();
        var options = new QueuesOptions();
        configuration.GetSection($"{WebJobsRoot}:extensions:queues").Bind(options);
        return options;
    }

    /// <summary><c>extensions.http.routePrefix</c>: what comes before every HTTP function's route (<c>api</c> by default; may be empty).</summary>
    public static string RoutePrefix(string path) => Load(path)["extensions:http:routePrefix"] ?? "api";

    private static IConfigurationRoot Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"No {FileName} at {path}.");
        }

        return new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false).Build();
    }
}
