using Microsoft.Azure.WebJobs.Host;
using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.LocalHost;

/// <summary>
/// The app's host.json as the Functions host reads it: under <c>AzureFunctionsJobHost</c>, the section the host names
/// as the WebJobs configuration root (<c>AzureWebJobsConfigurationSection</c>), with the app settings
/// <c>AzureFunctionsJobHost__…</c> over it (<see cref="HostJsonConfiguration"/>). The Storage Queues extension binds
/// its <see cref="QueuesOptions"/> from <c>…:extensions:queues</c> itself
/// (<c>AddExtension&lt;QueuesExtensionConfigProvider&gt;().BindOptions&lt;QueuesOptions&gt;()</c>).
/// </summary>
public static class HostJson
{
    public const string FileName = HostJsonConfiguration.FileName;

    /// <summary>The setting that tells the WebJobs SDK where its configuration root is (azure-webjobs-sdk IConfigurationExtensions).</summary>
    private const string WebJobsRootSetting = "AzureWebJobsConfigurationSection";

    /// <summary>host.json's settings as the host's configuration keys, and the root setting that points the WebJobs SDK at them.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> WebJobsSettings(string path)
    {
        Require(path);
        return HostJsonConfiguration.Settings(path).Append(KeyValuePair.Create(WebJobsRootSetting, (string?)HostJsonConfiguration.Root));
    }

    /// <summary>The queue trigger options host.json gives, bound the way the extension binds them (defaults where it is silent).</summary>
    public static QueuesOptions QueuesOptions(string path)
    {
        Require(path);
        var options = new QueuesOptions();
        new ConfigurationBuilder().AddInMemoryCollection(HostJsonConfiguration.Settings(path)).Build()
            .GetSection($"{HostJsonConfiguration.Root}:extensions:queues").Bind(options);
        return options;
    }

    /// <summary>
    /// host.json's <c>logging.logLevel</c> filters by category (<c>Function.PoisonSweep</c>: <c>Warning</c>), which the
    /// Functions host applies to its own log lines; <c>default</c> aside, which the local host's options set.
    /// </summary>
    public static IReadOnlyDictionary<string, LogLevel> LogLevels(string path)
    {
        Require(path);
        const string prefix = $"{HostJsonConfiguration.Root}:logging:logLevel:";
        return HostJsonConfiguration.Settings(path)
            .Where(s => s.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && s.Value is not null)
            .Select(s => (Category: s.Key[prefix.Length..], Level: Enum.Parse<LogLevel>(s.Value!, ignoreCase: true)))
            .Where(s => !s.Category.Equals("default", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(s => s.Category, s => s.Level, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary><c>extensions.http.routePrefix</c>: what comes before every HTTP function's route (<c>api</c> by default; may be empty).</summary>
    public static string RoutePrefix(string path)
    {
        Require(path);
        return HostJsonConfiguration.Settings(path).FirstOrDefault(s => s.Key == $"{HostJsonConfiguration.Root}:extensions:http:routePrefix").Value ?? "api";
    }

    private static void Require(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"No {FileName} at {path}.");
        }
    }
}
