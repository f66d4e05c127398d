using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace SimpleAi.Functions.Tests.Storage;

/// <summary>
/// The storage requests one call costs on the hot path (events → RouteEvent → steps a, b, c), counted under the real
/// queue listener: each step claims from the run its message carries instead of reading the run first.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HotPathRequestTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task OneCall_StepsClaimFromTheRunTheirMessageCarries_WithoutReadingIt()
    {
        var counter = new TableRequestCounter();
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString)
            .WithServices(services =>
            {
                var options = AzureConnections.TableOptions();
                options.AddPolicy(counter, HttpPipelinePosition.PerCall);
                services.AddSingleton(new TableServiceClient(azurite.ConnectionString, options));
            })
            .StartAsync();
        var callId = Guid.NewGuid().ToString("D");

        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N")), "msg_1");
        await harness.RunUntilIdleAsync();
        var (reads, writes, inserts, deliveries) =
            (counter.Of("GET", TableNames.Runs), counter.Of("PUT", TableNames.Runs), counter.Of("POST", TableNames.Runs), counter.Of("POST", TableNames.Deliveries));

        Assert.Equal(RunStatus.Completed, (await harness.RunOfAsync(callId))!.Status);
        Assert.Equal(3, harness.Effects.Invocations.Count(i => i.CallId == callId));
        // The router inserts the delivery and the run; each step claims (PUT) and records its completion (PUT).
        Assert.Equal(0, reads);
        Assert.Equal(6, writes);
        Assert.Equal(1, inserts);
        Assert.Equal(1, deliveries);
    }

    /// <summary>Counts table requests by method and table.</summary>
    private sealed class TableRequestCounter : HttpPipelineSynchronousPolicy
    {
        private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

        public int Of(string method, string table) => _counts.GetValueOrDefault($"{method} {table}");

        public override void OnSendingRequest(HttpMessage message)
        {
            var path = message.Request.Uri.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var table = path.Length > 1 ? path[1].Split('(')[0] : string.Empty;
            _counts.AddOrUpdate($"{message.Request.Method} {table}", 1, (_, count) => count + 1);
        }
    }
}
