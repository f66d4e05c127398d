namespace SimpleAi.Webhooks.Tests.Workflow;

public sealed class WorkflowDefinitionTests
{
    private sealed class Noop : IWorkflowStep
    {
        public Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult(StepResult.Done);
    }

    private static WorkflowStepDefinition Step(string name, Func<IReadOnlyDictionary<string, string>, bool>? when = null) =>
        new(name, typeof(Noop), when ?? (_ => true));

    private static readonly Dictionary<string, string> Data = new() { ["tag"] = "billing" };

    [Theory]
    [InlineData("Fetch")]
    [InlineData("fetch_call")]
    [InlineData("-fetch")]
    [InlineData("fetch-")]
    [InlineData("fetch--call")]
    [InlineData("")]
    [InlineData("a-very-long-step-name-that-makes-the-poison-queue-name-too-long")]
    public void InvalidStepName_IsRefusedNamingIt(string name)
    {
        var exception = Assert.Throws<ArgumentException>(() => new WorkflowDefinition([Step(name)]));

        Assert.Contains($"'{name}'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConditionThatCannotBeEvaluated_NamesItsStepAndTheStepsSkippedBeforeIt()
    {
        var workflow = new WorkflowDefinition(
        [
            Step("fetch-call"),
            Step("ticket", _ => false),
            Step("notify", _ => throw new SimpleAi.Webhooks.Rules.RuleEvaluationException("field 'analysis:7' is absent")),
            Step("follow-up"),
        ]);

        var error = Assert.Throws<StepConditionException>(() => workflow.After("fetch-call", Data));

        Assert.Equal("notify", error.Step);
        Assert.Equal(["ticket"], error.Skipped);
        Assert.Contains("analysis:7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateStepName_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new WorkflowDefinition([Step("notify"), Step("notify")]));
    }

    [Fact]
    public void StepTypeThatIsNotAStep_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new WorkflowDefinition([new WorkflowStepDefinition("x", typeof(string), _ => true)]));
    }

    [Fact]
    public void First_SkipsStepsWhoseConditionIsFalse()
    {
        var workflow = new WorkflowDefinition([Step("a", d => d.ContainsKey("nope")), Step("b", d => d["tag"] == "billing"), Step("c")]);

        var (next, skipped) = workflow.First(Data);

        Assert.Equal("b", next);
        Assert.Equal(["a"], skipped);
    }

    [Fact]
    public void After_ReturnsTheNextApplicableStepOrNoneAtTheEnd()
    {
        var workflow = new WorkflowDefinition([Step("a"), Step("b", _ => false), Step("c")]);

        Assert.Equal("c", workflow.After("a", Data).Next);
        Assert.Equal(["b"], workflow.After("a", Data).Skipped);
        Assert.Null(workflow.After("c", Data).Next);
    }

    [Fact]
    public void EmptyWorkflow_HasNoFirstStep()
    {
        Assert.Null(new WorkflowDefinition([]).First(Data).Next);
    }
}
