using System.IO.Compression;
using System.Text.Json.Nodes;

namespace SimpleAi.Testing;

/// <summary>
/// A local Application Insights ingestion endpoint: a real HTTP server that the Azure Monitor exporter posts its
/// envelopes to when the connection string names it (<see cref="ConnectionString"/>). It records every envelope the
/// exporter sent (gzip and newline-delimited JSON as the exporter writes them) and answers 200, as the service does.
/// </summary>
public sealed class IngestionCapture : IAsyncDisposable
{
    private readonly Guid _instrumentationKey = Guid.NewGuid();

    private IngestionCapture(FakeHttpServer server) => Server = server;

    public FakeHttpServer Server { get; }

    /// <summary>
    /// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> for an exporter that sends here: a fresh instrumentation key and
    /// this server as the <c>IngestionEndpoint</c>.
    /// </summary>
    public string ConnectionString => $"InstrumentationKey={_instrumentationKey:D};IngestionEndpoint={Server.BaseUrl}";

    public static async Task<IngestionCapture> StartAsync()
    {
        var server = await FakeHttpServer.StartAsync();
        return new IngestionCapture(server);
    }

    /// <summary>Every envelope received so far, in arrival order.</summary>
    public IReadOnlyList<CapturedEnvelope> Envelopes() =>
        Server.Requests.Where(r => r.Method == "POST").SelectMany(Read).ToList();

    /// <summary>The paths the exporter posted to (the service's is <c>/v2.1/track</c>).</summary>
    public IReadOnlyList<string> Paths() => Server.Requests.Select(r => r.Path).Distinct(StringComparer.Ordinal).ToList();

    private static IEnumerable<CapturedEnvelope> Read(RecordedRequest request)
    {
        var body = request.Headers.TryGetValue("Content-Encoding", out var encoding) && encoding.Contains("gzip", StringComparison.OrdinalIgnoreCase)
            ? Gunzip(request.Body)
            : request.Body;
        foreach (var line in System.Text.Encoding.UTF8.GetString(body).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (JsonNode.Parse(line) is JsonObject envelope)
            {
                yield return CapturedEnvelope.From(envelope);
            }
        }
    }

    private static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
