using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Cli;

/// <summary>
/// The app's own connection settings, read as the app reads them: from a <c>local.settings.json</c> (the given one,
/// else one in the current folder or in <c>src/SimpleAi.Functions</c>) and then the environment, which wins.
/// Without any, the storage is Azurite's (<c>UseDevelopmentStorage=true</c>). When <c>SimpleAiServiceBus</c> is set
/// (the Service Bus build), the app's queues are Service Bus queues.
/// </summary>
public sealed class CliSettings
{
    public const string DefaultStorage = "UseDevelopmentStorage=true";

    private readonly IConfiguration _configuration;

    private CliSettings(IConfiguration configuration, string source)
    {
        _configuration = configuration;
        Source = source;
    }

    /// <summary>Where the storage connection came from, for error messages (never the value).</summary>
    public string Source { get; }

    public static CliSettings Load(string? settingsFile, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var file = settingsFile ?? new[] { "local.settings.json", Path.Combine("src", "SimpleAi.Functions", "local.settings.json") }.FirstOrDefault(File.Exists);
        var source = "Azurite's default (no SimpleAiStorage setting found)";
        if (file is not null)
        {
            if (!File.Exists(file))
            {
                throw new UsageException($"--settings: no file '{file}'");
            }

            foreach (var (name, value) in LocalSettingsFile.Read(file))
            {
                values[name] = value;
            }

            source = $"SimpleAiStorage in {file}";
        }

        foreach (var name in new[] { "", "__queueServiceUri", "__tableServiceUri", "__blobServiceUri", "__credential", "__clientId" })
        {
            if (console.Environment(ConnectionNames.Storage + name) is { } fromEnvironment)
            {
                values[(ConnectionNames.Storage + name).Replace("__", ":", StringComparison.Ordinal)] = fromEnvironment;
                source = "SimpleAiStorage in the environment";
            }
        }

        foreach (var name in new[] { "", "__fullyQualifiedNamespace", "__credential", "__clientId" })
        {
            if (console.Environment(ConnectionNames.ServiceBus + name) is { } fromEnvironment)
            {
                values[(ConnectionNames.ServiceBus + name).Replace("__", ":", StringComparison.Ordinal)] = fromEnvironment;
            }
        }

        if (console.Environment(AuditKeySetting) is { } auditKey)
        {
            values[AuditKeySetting.Replace("__", ":", StringComparison.Ordinal)] = auditKey;
        }

        if (!values.Keys.Any(k => k.StartsWith(ConnectionNames.Storage, StringComparison.OrdinalIgnoreCase)))
        {
            values[ConnectionNames.Storage] = DefaultStorage;
        }

        return new CliSettings(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), source);
    }

    /// <summary>
    /// One setting (<c>PreCall__BearerToken</c>) from <paramref name="settingsFile"/>, else the local.settings.json the
    /// other commands read; null when neither has it.
    /// </summary>
    public static string? Value(string? settingsFile, string name)
    {
        var file = settingsFile ?? new[] { "local.settings.json", Path.Combine("src", "SimpleAi.Functions", "local.settings.json") }.FirstOrDefault(File.Exists);
        if (file is null)
        {
            return null;
        }

        if (!File.Exists(file))
        {
            throw new UsageException($"--settings: no file '{file}'");
        }

        var value = LocalSettingsFile.Read(file).GetValueOrDefault(name.Replace("__", ":", StringComparison.Ordinal));
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>The key <c>erase</c> hashes a caller's number with in its audit (see <c>ErasureAudit</c>): the settings file or the environment.</summary>
    public const string AuditKeySetting = "Retention__AuditKey";

    public string? AuditKey => _configuration[AuditKeySetting.Replace("__", ":", StringComparison.Ordinal)] is { Length: > 0 } key ? key : null;

    /// <summary>True when the app's queues are Service Bus queues (a <c>SimpleAiServiceBus</c> setting is present).</summary>
    public bool UsesServiceBus => _configuration.GetSection(ConnectionNames.ServiceBus).Exists();

    public ServiceBusClient ServiceBus() => AzureConnections.CreateServiceBusClient(_configuration, Factory());

    public QueueServiceClient Queues() => AzureConnections.CreateQueueServiceClient(_configuration, Factory());

    public TableServiceClient Tables() => AzureConnections.CreateTableServiceClient(_configuration, Factory());

    public BlobServiceClient Blobs() => AzureConnections.CreateBlobServiceClient(_configuration, Factory());

    private static AzureComponentFactory Factory()
    {
        var services = new ServiceCollection();
        services.AddAzureClientsCore();
        return services.BuildServiceProvider().GetRequiredService<AzureComponentFactory>();
    }
}
