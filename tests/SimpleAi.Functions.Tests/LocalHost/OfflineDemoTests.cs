using SimpleAi.LocalHost;

namespace SimpleAi.Functions.Tests.LocalHost;

/// <summary>npm start is the offline demo only while the settings leave it nothing real to talk to.</summary>
public sealed class OfflineDemoTests
{
    [Theory]
    [InlineData(null, null, true)]
    [InlineData("replace-with-your-simple-ai-api-key", "https://api.prod.usesimple.ai/api/v1/", true)]
    [InlineData("", "https://api.prod.usesimple.ai/api/v1/", true)]
    [InlineData("sk_live_real_key", null, false)]
    [InlineData("sk_live_real_key", "https://api.prod.usesimple.ai/api/v1/", false)]
    [InlineData("replace-with-your-simple-ai-api-key", "http://127.0.0.1:5080/api/v1/", false)]
    public void Demo_RunsOnlyWithoutAKeyAgainstSimpleAisOwnApi(string? key, string? baseUrl, bool wanted)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["SimpleAi:ApiKey"] = key, ["SimpleAi:BaseUrl"] = baseUrl })
            .Build();

        Assert.Equal(wanted, OfflineDemo.IsWanted(configuration));
    }

    [Fact]
    public async Task Demo_PointsTheApiAndTheActionStepsAtItsOwnServers_UnlessTheWorkflowNamesMoreSteps()
    {
        var bare = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Workflow:Steps:0:Step"] = "fetch-call" }).Build();
        var customised = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Workflow:Steps:0:Step"] = "fetch-call",
            ["Workflow:Steps:1:Step"] = "ticket",
        }).Build();

        await using var demo = await OfflineDemo.StartAsync(bare, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        await using var kept = await OfflineDemo.StartAsync(customised, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        Assert.Equal(demo.ApiBaseUrl.ToString(), demo.Settings["SimpleAi:BaseUrl"]);
        Assert.Equal("crm-sync", demo.Settings["Workflow:Steps:1:Step"]);
        Assert.Equal("notify", demo.Settings["Workflow:Steps:2:Step"]);
        Assert.Equal(new Uri(demo.ReceiverUrl, "crm-sync").ToString(), demo.Settings["Actions:crm_sync:Url"]);
        Assert.StartsWith("whsec_", demo.Settings["Actions:notify:Secret"], StringComparison.Ordinal);
        Assert.DoesNotContain(kept.Settings.Keys, k => k.StartsWith("Workflow:", StringComparison.Ordinal) || k.StartsWith("Actions:", StringComparison.Ordinal));
    }
}
