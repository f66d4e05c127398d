using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using SimpleAi.Testing;

namespace SimpleAi.Benchmarks;

/// <summary>A benchmark on its own Azurite (started in the benchmark's process) and the app's container built on it.</summary>
[Config(typeof(AzuriteBenchmarkConfig))]
public abstract class AzuriteBenchmark
{
    private ServiceProvider? _app;

    protected AzuriteFixture Azurite { get; } = new();

    protected ServiceProvider App => _app ?? throw new InvalidOperationException("Call StartAsync in the global setup.");

    protected async Task StartAsync(Action<Dictionary<string, string?>>? settings = null, Action<IServiceCollection>? configure = null)
    {
        await Azurite.InitializeAsync();
        var values = TestApp.Settings(Azurite.ConnectionString);
        settings?.Invoke(values);
        _app = TestApp.Build(values, configure: configure);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await Azurite.DisposeAsync();
    }
}
