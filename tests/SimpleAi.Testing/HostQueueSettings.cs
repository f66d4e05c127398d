using System.Globalization;
using System.Text.Json;

namespace SimpleAi.Testing;

/// <summary>The queue trigger settings of host.json that the dispatcher honours as the Functions host would.</summary>
public sealed record HostQueueSettings(int MaxDequeueCount, TimeSpan VisibilityTimeout, int BatchSize)
{
    public static HostQueueSettings FromHostJson() => FromHostJson(Path.Combine(RepoPaths.Root, "host.json"));

    public static HostQueueSettings FromHostJson(string path)
    {
        using var host = JsonDocument.Parse(File.ReadAllText(path));
        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");
        return new HostQueueSettings(
            queues.GetProperty("maxDequeueCount").GetInt32(),
            TimeSpan.Parse(queues.GetProperty("visibilityTimeout").GetString()!, CultureInfo.InvariantCulture),
            queues.GetProperty("batchSize").GetInt32());
    }
}
