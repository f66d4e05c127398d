using SimpleAi.Webhooks.Rules;

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

    /// <summary>A route's next step and its skipped steps in order (the record's own equality compares the list by reference).</summary>
    private static readonly IEqualityComparer<StepRoute> RouteComparer = EqualityComparer<StepRoute>.Create(
        (a, b) => a?.Next == b?.Next && a!.Skipped.SequenceEqual(b!.Skipped),
        route => route.Next?.GetHashCode(StringComparison.Ordinal) ?? 0);

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
    public void ConditionOnAMissingField_SkipsItsStepWithTheReasonAndGoesOn()
    {
        var absent = FieldMiss.AbsentFrom("analysis:7", "the call");
        var workflow = new WorkflowDefinition(
        [
            Step("fetch-call"),
            Step("ticket", _ => false),
            new WorkflowStepDefinition("notify", typeof(Noop), _ => RuleVerdict.Missed(absent)),
            Step("follow-up"),
        ]);

        var route = workflow.After("fetch-call", Data);

        Assert.Equal(new StepRoute("follow-up", [new SkippedStep("ticket"), new SkippedStep("notify", absent)]), route, RouteComparer);
    }

    [Fact]
    public void SkippedStep_RecordsTheFieldsReasonAsItsError()
    {
        var now = DateTimeOffset.UnixEpoch;

        Assert.Equal(new StepState(StepStatus.Skipped, FinishedAt: now), new SkippedStep("ticket").State(now));
        Assert.Equal(
            new StepState(StepStatus.Skipped, FinishedAt: now, Error: "field 'analysis:7' absent from the call"),
            new SkippedStep("ticket", FieldMiss.AbsentFrom("analysis:7", "the call")).State(now));
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
        Assert.Equal([new SkippedStep("a")], skipped);
    }

    [Fact]
    public void After_ReturnsTheNextApplicableStepOrNoneAtTheEnd()
    {
        var workflow = new WorkflowDefinition([Step("a"), Step("b", _ => false), Step("c")]);

        Assert.Equal("c", workflow.After("a", Data).Next);
        Assert.Equal([new SkippedStep("b")], workflow.After("a", Data).Skipped);
        Assert.Null(workflow.After("c", Data).Next);
    }

    [Fact]
    public void EmptyWorkflow_HasNoFirstStep()
    {
        Assert.Null(new WorkflowDefinition([]).First(Data).Next);
    }
}
