using Microsoft.Extensions.Configuration;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Actions.Transformations;

namespace SimpleAi.Webhooks.Tests.Actions;

/// <summary><c>Actions__&lt;step key&gt;__Transform</c>: found next to workflow.json, and checked before the app starts.</summary>
public sealed class TransformationSettingsTests : IDisposable
{
    private readonly TransformationScripts _scripts = new();

    public void Dispose() => _scripts.Dispose();

    /// <summary>The configuration as the hosts build it: workflow.json from a base path, the step's endpoint.</summary>
    private IConfigurationRoot Configuration(string transform)
    {
        _scripts.Write("workflow.json", """{ "Workflow": { "Steps": [ { "Step": "fetch-call" }, { "Step": "notify" } ] } }""");
        return new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Actions:notify:Url"] = "https://hooks.example.test/services/T/B/x",
                ["Actions:notify:Secret"] = "whsec_" + Convert.ToBase64String("notify-secret-0123456789abc"u8.ToArray()),
                ["Actions:notify:Transform"] = transform,
            })
            .SetBasePath(_scripts.Folder)
            .AddJsonFile("workflow.json")
            .Build();
    }

    [Fact]
    public void RelativePath_IsResolvedAgainstTheDirectoryOfWorkflowJson()
    {
        Directory.CreateDirectory(Path.Combine(_scripts.Folder, "transforms"));
        var path = _scripts.Write(Path.Combine("transforms", "slack.js"), "function handler(w) { return w; }");

        Assert.Equal(path, TransformationFiles.Resolve(Configuration("transforms/slack.js"), "transforms/slack.js"));
        Assert.Empty(ActionEndpointValidation.Problems(Configuration("transforms/slack.js"), "notify"));
    }

    [Fact]
    public void SyntaxError_IsAStartUpProblemNamingTheFileAndLine()
    {
        _scripts.Write("slack.js", "function handler(webhook) {\n  webhook.payload = { text: 'x' ;\n  return webhook;\n}\n");

        var problem = Assert.Single(ActionEndpointValidation.Problems(Configuration("slack.js"), "notify"));

        Assert.Equal("Actions__notify__Transform: transformation slack.js does not compile: Unexpected token ';' at line 2, column 33.", problem);
    }

    [Fact]
    public void MissingFile_IsAStartUpProblem()
    {
        var problem = Assert.Single(ActionEndpointValidation.Problems(Configuration("transforms/none.js"), "notify"));

        Assert.StartsWith("Actions__notify__Transform: transformation transforms/none.js does not exist", problem, StringComparison.Ordinal);
    }
}
