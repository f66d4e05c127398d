using System.Text.Json;
using BenchmarkDotNet.Attributes;
using SimpleAi.Testing;
using SimpleAi.Webhooks.Events;

namespace SimpleAi.Benchmarks;

/// <summary>
/// Reading the envelope of the fixture body: ours (one forward pass that also checks the whole body is UTF-8 JSON)
/// against the floor of a bare <see cref="Utf8JsonReader"/> pass over the same bytes, and against
/// <see cref="JsonDocument"/>, what a straightforward implementation would use.
/// </summary>
[MemoryDiagnoser]
public class EnvelopeBenchmarks
{
    private byte[] _body = [];

    [GlobalSetup]
    public void Setup() => _body = RepoPaths.FixtureBytes("webhook-call-completed.json");

    [Benchmark(Baseline = true, Description = "floor: Utf8JsonReader pass")]
    public int Floor()
    {
        var reader = new Utf8JsonReader(_body);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    [Benchmark(Description = "ours: EnvelopeParser.TryParse")]
    public bool Ours() => EnvelopeParser.TryParse(_body, out _, out _);

    [Benchmark(Description = "JsonDocument.Parse + lookups")]
    public string? Document()
    {
        using var document = JsonDocument.Parse(_body);
        return document.RootElement.GetProperty("payload").GetProperty("call_id").GetString();
    }
}
