using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using SimpleAi.Testing;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.PreCall;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Benchmarks;

/// <summary>
/// The pre-call lookup handler in process (bearer check, body parse, E.164, contact read, JSON answer) for known
/// callers on Azurite, against the floor of the bare point read of the same contact rows. The p99 against a large
/// table is the measured loop in <see cref="PreCallLatency"/>.
/// </summary>
public class PreCallBenchmarks : AzuriteBenchmark
{
    private const int Contacts = 1_000;
    private PreCallService? _service;
    private TableClient? _table;
    private byte[][] _bodies = [];
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        await StartAsync();
        _service = App.GetRequiredService<PreCallService>();
        var store = App.GetRequiredService<ContactStore>();
        for (var i = 0; i < Contacts; i++)
        {
            await store.UpsertAsync(Number(i), new Dictionary<string, string> { ["customer_name"] = $"Customer {i}", ["plan"] = "pro" }, CancellationToken.None);
        }

        _bodies = Enumerable.Range(0, Contacts)
            .Select(i => JsonSerializer.SerializeToUtf8Bytes(new { call = new { from_number = Number(i), to_number = "+15557654321", direction = "inbound" } }))
            .ToArray();
        _table = new TableServiceClient(Azurite.ConnectionString, AzureConnections.TableOptions()).GetTableClient(TableNames.Contacts);
    }

    [Benchmark(Baseline = true, Description = "floor: contact point read")]
    public async Task<bool> Floor()
    {
        var number = Number(NextIndex());
        return (await _table!.GetEntityIfExistsAsync<TableEntity>(number, ContactStore.RowKeyOf(number))).HasValue;
    }

    [Benchmark(Description = "ours: PreCallService.HandleAsync → 200")]
    public async Task<int> Lookup()
    {
        var body = _bodies[NextIndex()];
        var result = await _service!.HandleAsync(
            new PreCallRequest("POST", "application/json", body.Length, new MemoryStream(body, writable: false), "Bearer " + TestApp.PreCallToken),
            CancellationToken.None);
        return result.StatusCode == 200 ? 200 : throw new InvalidOperationException($"pre-call answered {result.StatusCode}");
    }

    private int NextIndex() => _next++ % Contacts;

    private static string Number(int i) => "+1555" + (1_000_000 + i).ToString(CultureInfo.InvariantCulture);
}
