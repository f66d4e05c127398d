using System.Diagnostics;

namespace SimpleAi.Functions.Tests.LocalHost;

/// <summary>
/// The local host (what <c>npm start</c> runs) as a process, in a folder laid out as the repository is (the solution
/// file, the sample settings, <c>src/SimpleAi.Functions/workflow.json</c>): a start refused for its configuration prints
/// one <c>Configuration error</c> list, each problem once, under the names the user sets and the file and line the user
/// edits, no stack trace, and exits with <see cref="ConfigurationErrors.ExitCode"/>. No storage is needed: the
/// configuration is checked before anything is touched.
/// </summary>
public sealed class LocalHostConfigurationErrorTests : IDisposable
{
    private readonly string _repository = Directory.CreateTempSubdirectory("localhost-config-").FullName;

    public LocalHostConfigurationErrorTests()
    {
        File.WriteAllText(Path.Combine(_repository, "SimpleAi.Functions.sln"), string.Empty);
        File.Copy(Path.Combine(RepoPaths.Root, "local.settings.sample.json"), Path.Combine(_repository, "local.settings.sample.json"));
        Directory.CreateDirectory(Path.Combine(_repository, "src", "SimpleAi.Functions"));
    }

    public void Dispose() => Directory.Delete(_repository, recursive: true);

    [Fact]
    public async Task MissingSecretAndMisspeltRuleField_ListedOnceEachWithoutStackTrace()
    {
        WriteWorkflow("""
            {
              "Workflow": {
                "Steps": [
                  { "Step": "fetch-call" },
                  { "Step": "notify",
                    "When": [ { "Field": "answred_by", "Op": "eq", "Value": "human" } ] }
                ]
              }
            }
            """);

        var (code, output) = await RunAsync(new()
        {
            ["Webhook__SigningSecrets"] = string.Empty,
            // Another API than Simple AI's own: the sample's placeholder key is then an error, not the offline demo's cue.
            ["SimpleAi__BaseUrl"] = "https://simpleai.example.test/api/v1/",
            ["Actions__notify__Url"] = "https://hooks.example.com/notify",
            ["Actions__notify__Secret"] = TestSigning.OtherSecret,
        });

        Assert.True(code == ConfigurationErrors.ExitCode, $"exit code {code}: {output}");
        Assert.Contains("Configuration error: nothing was started", output, StringComparison.Ordinal);
        Assert.Contains("Workflow: src/SimpleAi.Functions/workflow.json", output, StringComparison.Ordinal);
        Assert.Equal(1, Occurrences(output, "  - Webhook__SigningSecrets is required (one or more whsec_ secrets, separated by spaces)."));
        Assert.Equal(1, Occurrences(output, "  - SimpleAi__ApiKey still holds the sample's placeholder: set it to the real secret."));
        Assert.Equal(1, Occurrences(output,
            "  - src/SimpleAi.Functions/workflow.json:6: Workflow step 'notify', condition 'answred_by eq human': unknown field 'answred_by': did you mean 'answered_by'?"));
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Webhook:SigningSecrets", output, StringComparison.Ordinal);
        Assert.DoesNotContain("SimpleAi:ApiKey", output, StringComparison.Ordinal);
        var problems = output.Split('\n').Where(l => l.StartsWith("  - ", StringComparison.Ordinal)).ToList();
        Assert.Equal(problems.Count, problems.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task PlaceholderPreCallToken_IsOnePlainWarningLine()
    {
        WriteWorkflow("""{ "Workflow": { "Steps": [ { "Step": "fetch-call" } ] } }""");

        var (code, output) = await RunAsync(new() { ["Webhook__SigningSecrets"] = string.Empty });

        Assert.True(code == ConfigurationErrors.ExitCode, $"exit code {code}: {output}");
        var line = Assert.Single(output.Split('\n'), l => l.Contains("PreCall__BearerToken", StringComparison.Ordinal));
        Assert.Contains(" warn: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkflowJsonThatIsNotJson_IsNamedInSrcWithItsOneBasedLine()
    {
        WriteWorkflow("""
            {
              "Workflow": {
                "Steps": [
                  { "Step": "fetch-call" },
                  { "Step": "notify",
                    "When": [ { "Field": "answered_by" "Op": "eq", "Value": "human" } ] }
                ]
              }
            }
            """);

        var (code, output) = await RunAsync([]);

        Assert.True(code == ConfigurationErrors.ExitCode, $"exit code {code}: {output}");
        Assert.Contains(
            "  - src/SimpleAi.Functions/workflow.json:6:44: not valid JSON: '\"' is invalid after a value. Expected either ',', '}', or ']'.",
            output, StringComparison.Ordinal);
        Assert.DoesNotContain("bin/", output, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TransformNamedByTheWorkflow_IsReadRelativeToWorkflowJsonInSrc()
    {
        WriteWorkflow("""{ "Workflow": { "Steps": [ { "Step": "fetch-call" }, { "Step": "notify" } ] } }""");
        Directory.CreateDirectory(Path.Combine(_repository, "src", "SimpleAi.Functions", "transforms"));
        File.WriteAllText(Path.Combine(_repository, "src", "SimpleAi.Functions", "transforms", "broken.js"), "function handler(webhook) {\n  return webhook +;\n}\n");

        var (code, output) = await RunAsync(new()
        {
            ["SimpleAi__ApiKey"] = TestApp.TestApiKey,
            ["Actions__notify__Url"] = "https://hooks.example.com/notify",
            ["Actions__notify__Secret"] = TestSigning.OtherSecret,
            ["Actions__notify__Transform"] = "transforms/broken.js",
        });

        Assert.True(code == ConfigurationErrors.ExitCode, $"exit code {code}: {output}");
        Assert.Contains("Actions__notify__Transform: transformation transforms/broken.js does not compile", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TransformsFolderReadmeNames_Exists()
    {
        Assert.True(Directory.Exists(Path.Combine(RepoPaths.Root, "src", "SimpleAi.Functions", "transforms")), "README tells users to put transformations in src/SimpleAi.Functions/transforms/");
    }

    private void WriteWorkflow(string json) => File.WriteAllText(Path.Combine(_repository, "src", "SimpleAi.Functions", "workflow.json"), json + "\n");

    private static int Occurrences(string text, string part) =>
        text.Split(part, StringSplitOptions.None).Length - 1;

    /// <summary>The local host built with these tests (next to them), run from the folder; at most a minute, then killed.</summary>
    private async Task<(int Code, string Output)> RunAsync(Dictionary<string, string?> environment)
    {
        environment["SIMPLEAI_LOCAL_URL"] = $"http://127.0.0.1:{ClosedPort.Find()}";
        var start = RepoCommand.StartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "SimpleAi.LocalHost.dll")], environment);
        start.WorkingDirectory = _repository;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"still running after a minute: {await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
