using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace SimpleAi.Functions.Tests.Workflow;

/// <summary>A workflow configuration the app cannot run stops it at start-up, with a message naming the problem.</summary>
public sealed class WorkflowConfigurationTests
{
    private static async Task<string?> StartupErrorAsync(Dictionary<string, string?> workflow)
    {
        var settings = TestApp.Settings("UseDevelopmentStorage=true");
        foreach (var (key, value) in workflow)
        {
            settings[key] = value;
        }

        return await StartupCheck.ErrorAsync(configuration => configuration.AddInMemoryCollection(settings));
    }

    private static Dictionary<string, string?> Steps(params string[] steps) =>
        steps.Select((step, i) => (step, i)).ToDictionary(p => $"Workflow:Steps:{p.i}:Step", p => (string?)p.step);

    [Fact]
    public async Task DefaultWorkflow_FetchesTheCallOnly()
    {
        Assert.Null(await StartupErrorAsync([]));
    }

    [Fact]
    public async Task UnknownStep_StopsStart()
    {
        Assert.Contains("step 'escalate' is unknown", await StartupErrorAsync(Steps("fetch-call", "escalate")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownField_StopsStart()
    {
        var workflow = Steps("fetch-call", "ticket");
        workflow["Actions:ticket:Url"] = "https://tickets.example.com/hooks";
        workflow["Actions:ticket:Secret"] = TestSigning.OtherSecret;
        workflow["Workflow:Steps:1:When:0:Field"] = "mood";
        workflow["Workflow:Steps:1:When:0:Value"] = "bad";

        Assert.Contains("unknown field 'mood'", await StartupErrorAsync(workflow), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadOperator_StopsStart()
    {
        var workflow = Steps("fetch-call", "ticket");
        workflow["Actions:ticket:Url"] = "https://tickets.example.com/hooks";
        workflow["Actions:ticket:Secret"] = TestSigning.OtherSecret;
        workflow["Workflow:Steps:1:When:0:Field"] = "tags";
        workflow["Workflow:Steps:1:When:0:Op"] = "includes";
        workflow["Workflow:Steps:1:When:0:Value"] = "billing";

        Assert.Contains("unknown operator 'includes'", await StartupErrorAsync(workflow), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "Actions__notify__Url")]
    [InlineData("not a url", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "Actions__notify__Url")]
    [InlineData("https://hooks.slack.com/services/T0/B0/x", null, "Actions__notify__Secret")]
    [InlineData("https://hooks.slack.com/services/T0/B0/x", "whsec_***", "Actions__notify__Secret")]
    public async Task ActionWithoutUsableEndpoint_StopsStartWithoutShowingTheSecret(string? url, string? secret, string named)
    {
        var workflow = Steps("fetch-call", "notify");
        workflow["Actions:notify:Url"] = url;
        workflow["Actions:notify:Secret"] = secret;

        var error = await StartupErrorAsync(workflow);

        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.DoesNotContain("services/T0/B0/x", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConditionBeforeTheCallIsFetched_StopsStart()
    {
        var workflow = Steps("crm-sync", "fetch-call");
        workflow["Actions:crm_sync:Url"] = "https://crm.example.com/hooks";
        workflow["Actions:crm_sync:Secret"] = TestSigning.OtherSecret;
        workflow["Workflow:Steps:0:When:0:Field"] = "answered_by";
        workflow["Workflow:Steps:0:When:0:Value"] = "human";

        Assert.Contains("'fetch-call' must come before it", await StartupErrorAsync(workflow), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingApiKey_StopsStart()
    {
        Assert.Contains("SimpleAi__ApiKey is required", await StartupErrorAsync(new() { ["SimpleAi:ApiKey"] = null }), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryBuiltInStep_HasItsQueueTriggeredFunction()
    {
        var services = new ServiceCollection();
        services.AddSimpleAiWebhooks(new ConfigurationBuilder().Build(), FunctionsBuild.QueueTransport);
        var registered = services.Where(d => d.ServiceType == typeof(WorkflowStepRegistration))
            .Select(d => ((WorkflowStepRegistration)d.ImplementationInstance!).Name);
        var functions = typeof(FunctionsBuild).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>()?.Name,
                Queue: m.GetParameters().Select(p => p.GetCustomAttribute<QueueTriggerAttribute>()?.QueueName).FirstOrDefault(q => q is not null)))
            .Where(f => f.Function is not null)
            .ToList();

        Assert.All(registered, step => Assert.Contains((QueueNames.Step(step), (string?)QueueNames.Step(step)), functions));
    }
}
