namespace SimpleAi.Functions.Tests.Documentation;

/// <summary>
/// docs/operations.md's commands for a running app, run as written with bash in the repository root (the CLI built by
/// their own <c>dotnet build</c>), against the app under the local host on a port of its own instead of
/// <c>localhost:7071</c>, with its storage given as <c>SimpleAiStorage</c>. The sample settings' webhook secret, which
/// the commands sign with, is the test app's.
/// </summary>
[Collection(WholeProcessCollection.Name)]
public sealed class DocumentationCommandsTests : IAsyncLifetime
{
    private const string DocumentedApp = "http://localhost:7071";

    private readonly AzuriteFixture _storage = new();
    private WorkflowHarness _app = null!;

    public async Task InitializeAsync()
    {
        await _storage.InitializeAsync();
        _app = await WorkflowHarness.Create(_storage.ConnectionString).StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _storage.DisposeAsync();
    }

    [Fact]
    public async Task SignAndCurl_AreAnswered202ByTheApp()
    {
        var (code, output) = await RunAsync(nameof(SignAndCurl_AreAnswered202ByTheApp));

        Assert.True(code == 0, output);
        Assert.Matches(@"HTTP/1\.1 202", output);
        Assert.Contains("\"status\":\"accepted\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAndStatus_ShowTheCallsDeliveryAndRun()
    {
        var (_, output) = await RunAsync(nameof(SendAndStatus_ShowTheCallsDeliveryAndRun));

        Assert.Contains("202: 1", output, StringComparison.Ordinal);
        Assert.Contains("123e4567-e89b-12d3-a456-426614174000", output, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing is known", output, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The one block marked as run by <paramref name="test"/>, in bash, pointed at this test's app and storage.</summary>
    private async Task<(int Code, string Output)> RunAsync(string test)
    {
        var block = Assert.Single(ReadmeExamples.TestedBy($"{nameof(DocumentationCommandsTests)}.{test}"));
        Assert.Contains(DocumentedApp, block.Body, StringComparison.Ordinal);
        var script = "set -e\n" + block.Body.Replace(DocumentedApp, _app.Host.BaseAddress!.ToString().TrimEnd('/'), StringComparison.Ordinal);
        return await RepoCommand.RunAsync("bash", ["-c", script], new Dictionary<string, string?> { ["SimpleAiStorage"] = _storage.ConnectionString });
    }
}
