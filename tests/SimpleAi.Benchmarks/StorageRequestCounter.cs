using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace SimpleAi.Benchmarks;

/// <summary>Counts the storage requests an Azure SDK client sends, by method and queue or table.</summary>
public sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> Counts => _counts;

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var path = message.Request.Uri.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var target = path.Length > 1 ? path[1].Split('(')[0] : "(account)";
        _counts.AddOrUpdate($"{message.Request.Method} {target}", 1, (_, count) => count + 1);
    }
}
