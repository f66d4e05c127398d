using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Tests.Engine;

/// <summary>
/// A feature the engine has never heard of (a "scoring" feature made up here) gives it a step, the fields its step
/// provides, a check of its steps' settings and a default workflow, through the engine's public seams only.
/// </summary>
public sealed class WorkflowSeamsTests
{
    private static readonly RuleFields ScoreFields = new("score", "the score", ["score", "labels"], ["reason:"], ["labels"]);

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection>? feature = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddSingleton<EffectLog>()
            .AddWorkflowEngine(configuration)
            .AddWorkflowStep<StepA>("score")
            .AddWorkflowStep<StepB>("alert")
            .AddRuleFields(ScoreFields);
        feature?.Invoke(services);
        return services.BuildServiceProvider();
    }

    private static Dictionary<string, string?> Workflow(params (string Step, string? Field)[] steps)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < steps.Length; i++)
        {
            settings[$"Workflow:Steps:{i}:Step"] = steps[i].Step;
            if (steps[i].Field is { } field)
            {
                settings[$"Workflow:Steps:{i}:When:0:Field"] = field;
                settings[$"Workflow:Steps:{i}:When:0:Op"] = "exists";
            }
        }

        return settings;
    }

    private static string? StartupError(ServiceProvider provider)
    {
        try
        {
            _ = provider.GetRequiredService<IOptions<WorkflowOptions>>().Value;
            return null;
        }
        catch (OptionsValidationException e)
        {
            return e.Message;
        }
    }

    [Fact]
    public void ContributedField_IsKnownAfterItsStep()
    {
        using var provider = Build(Workflow(("score", null), ("alert", "reason:low")));

        Assert.Null(StartupError(provider));
        Assert.Equal(["score", "alert"], provider.GetRequiredService<WorkflowDefinition>().Steps.Select(s => s.Name));
    }

    [Fact]
    public void ContributedField_BeforeItsStep_StopsStartNamingTheStep()
    {
        using var provider = Build(Workflow(("alert", "score"), ("score", null)));

        Assert.Contains("Workflow step 'alert' has conditions on the score, so 'score' must come before it.", StartupError(provider), StringComparison.Ordinal);
    }

    [Fact]
    public void FieldNoFeatureProvides_StopsStartListingTheKnownOnes()
    {
        using var provider = Build(Workflow(("score", null), ("alert", "mood")));

        Assert.Contains("unknown field 'mood' (known: score, labels, or reason:<key>)", StartupError(provider), StringComparison.Ordinal);
    }

    [Fact]
    public void ContributedCheck_StopsStartForTheStepsItSpeaksFor()
    {
        using var provider = Build(Workflow(("score", null), ("alert", null)), services => services.AddWorkflowCheck<AlertNeedsAPager>());

        var error = StartupError(provider);

        Assert.Contains("alert needs a pager", error, StringComparison.Ordinal);
        Assert.DoesNotContain("score needs a pager", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultWorkflow_RunsWhenTheConfigurationNamesNoStep()
    {
        using var provider = Build([], services => services.AddDefaultWorkflow("score"));

        Assert.Null(StartupError(provider));
        Assert.Equal(["score"], provider.GetRequiredService<WorkflowDefinition>().Steps.Select(s => s.Name));
    }

    [Fact]
    public void NoDefaultWorkflow_RunsNoStep()
    {
        using var provider = Build([]);

        Assert.Empty(provider.GetRequiredService<WorkflowDefinition>().Steps);
    }

    [Theory]
    [InlineData("labels", "urgent", true)]
    [InlineData("labels", "urg", false)]
    [InlineData("score", "urg", true)]
    public void Contains_OnAListField_MatchesWholeEntries(string field, string value, bool expected)
    {
        var rule = new StepRule { Step = "alert", When = [new RuleCondition { Field = field, Op = "contains", Value = value }] };
        var data = new Dictionary<string, string> { ["labels"] = "vip,urgent", ["score"] = "urgent-ish" };

        Assert.Equal(RuleVerdict.Of(expected), RuleCompiler.Compile(rule, [ScoreFields])(data));
    }

    private sealed class AlertNeedsAPager : IWorkflowCheck
    {
        public IEnumerable<string> Problems(WorkflowStepRegistration step) =>
            step.StepType == typeof(StepB) ? [$"{step.Name} needs a pager"] : [];
    }
}
