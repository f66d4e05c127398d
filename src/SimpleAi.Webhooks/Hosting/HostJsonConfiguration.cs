namespace SimpleAi.Webhooks.Hosting;

/// <summary>
/// host.json as the Functions host reads it, with the app settings that override it per environment. The host puts
/// host.json's values under <see cref="Root"/> (azure-functions-host: <c>HostJsonFileConfigurationSource</c>,
/// <c>ConfigurationSectionNames.JobHost</c>) and adds the environment variables after it (azure-webjobs-sdk:
/// <c>ConfigureWebJobs</c>), so an app setting <c>AzureFunctionsJobHost__extensions__queues__maxDequeueCount</c> wins
/// over the file. The app reads the host's values here instead of keeping copies of its own.
/// </summary>
public static class HostJsonConfiguration
{
    public const string FileName = "host.json";

    /// <summary>The section the host keeps host.json under, and the prefix of the app settings that override it.</summary>
    public const string Root = "AzureFunctionsJobHost";

    /// <summary>The app's host.json: next to its assemblies, where the build copies it and the host reads it.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, FileName);

    /// <summary>host.json's values as the host's configuration keys (<c>AzureFunctionsJobHost:extensions:queues:…</c>); none when there is no file.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var file = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false).Build();
        return file.AsEnumerable()
            .Where(pair => pair.Value is not null)
            .Select(pair => KeyValuePair.Create($"{Root}:{pair.Key}", pair.Value))
            .ToList();
    }

    /// <summary>What the host runs with: host.json at <paramref name="path"/>, then <paramref name="appSettings"/> over it.</summary>
    public static IConfiguration Effective(string path, IConfiguration appSettings) => new ConfigurationBuilder()
        .AddInMemoryCollection(Settings(path))
        .AddConfiguration(appSettings, shouldDisposeConfiguration: false)
        .Build();

    /// <summary>A host setting as an app setting names it: <c>AzureFunctionsJobHost__extensions__queues__maxDequeueCount</c>.</summary>
    public static string OverrideName(string path) => $"{Root}__{path.Replace(":", "__", StringComparison.Ordinal)}";
}
