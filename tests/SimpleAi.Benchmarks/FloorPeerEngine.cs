using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SimpleAi.LocalHost;
using SimpleAi.Testing;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Benchmarks;

/// <summary>
/// The bare floor of the same work under the same host and host.json settings (<see cref="FloorHops"/>): a call is
/// accepted when its first send returned and done when the last hop's insert for its first copy is made.
/// </summary>
public sealed class FloorPeerEngine : IPeerEngine
{
    private readonly LocalFunctionsHost _host;
    private readonly QueueClient _first;
    private readonly Relay _relay;

    private FloorPeerEngine(LocalFunctionsHost host, QueueClient first, Relay relay)
    {
        _host = host;
        _first = first;
        _relay = relay;
    }

    public static async Task<IPeerEngine> StartAsync(string connection)
    {
        var queues = new QueueServiceClient(connection, AzureConnections.QueueOptions());
        var table = new TableServiceClient(connection).GetTableClient("floor");
        await table.CreateIfNotExistsAsync();
        var relay = new Relay();
        var host = await LocalFunctionsHost.StartAsync(new LocalHostOptions
        {
            Configuration = new ConfigurationBuilder().AddInMemoryCollection(TestApp.Settings(connection)).Build(),
            HostLogLevel = LogLevel.Warning,
            ConfigureServices = services => services.AddSingleton(new FloorHops(queues, table, call => relay.Clock?.Done(call))),
            ExtraFunctionTypes = [typeof(FloorFunctions)],
            ConfigureQueues = HostJsonQueues.Apply,
            HttpUrl = null,
            ClearQueues = true,
        });
        return new FloorPeerEngine(host, queues.GetQueueClient(FloorHops.Chain[0]), relay);
    }

    public async Task RunAsync(CallClock clock, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _relay.Clock = clock;
        var sends = new List<Task>();
        clock.Start();
        for (var i = 0; i < clock.Calls; i++)
        {
            var call = Guid.NewGuid().ToString("N");
            clock.Sent(call);
            sends.Add(SendAsync(clock, call, $"{call}:0"));
            if (i % 2 == 0)
            {
                sends.Add(SendAsync(clock, call, $"{call}:1"));
            }
        }

        await Task.WhenAll(sends);
        await clock.WaitAsync(timeout, () => _host.DescribeAsync().GetAwaiter().GetResult());
    }

    private async Task SendAsync(CallClock clock, string call, string message)
    {
        await _first.SendMessageAsync(message);
        clock.Accepted(call);
    }

    public Task SettleAsync(TimeSpan timeout) => _host.WaitUntilIdleAsync(timeout);

    public void ThrowIfFailed()
    {
        if (_host.Failures.Count != 0)
        {
            throw new InvalidOperationException("The floor failed: " + string.Join("; ", _host.Failures.Take(5)));
        }
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    /// <summary>The batch being timed, set after the hops were registered.</summary>
    private sealed class Relay
    {
        public CallClock? Clock { get; set; }
    }
}
