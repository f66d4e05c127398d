using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Tests.Rules;

/// <summary>A misspelt rule field is refused at start-up with the nearest known names suggested.</summary>
public sealed class RuleFieldSuggestionTests
{
    private static readonly RuleFields[] CallFields = [CallFacts.Fields];

    [Theory]
    [InlineData("answred_by", "did you mean 'answered_by'?")]
    [InlineData("Answered_By", "did you mean 'answered_by'?")]
    [InlineData("duraton", "did you mean 'duration'?")]
    [InlineData("analysys:Caller sentiment", "did you mean 'analysis:Caller sentiment'?")]
    [InlineData("param:plan", "did you mean 'params:plan'?")]
    [InlineData("analysis", "did you mean 'analysis:<key>'?")]
    public void MisspeltField_SuggestsTheNearestKnownName(string field, string suggestion)
    {
        var rule = new StepRule { Step = "ticket", When = [new RuleCondition { Field = field, Op = "eq", Value = "x" }] };

        var problem = Assert.Single(RuleCompiler.Validate(rule, CallFields));

        Assert.Contains($"unknown field '{field}': {suggestion}", problem, StringComparison.Ordinal);
        Assert.Contains("(known: status, direction, answered_by", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FieldNearNothingKnown_IsRefusedWithoutASuggestion()
    {
        var rule = new StepRule { Step = "ticket", When = [new RuleCondition { Field = "sentiment", Op = "eq", Value = "x" }] };

        var problem = Assert.Single(RuleCompiler.Validate(rule, CallFields));

        Assert.DoesNotContain("did you mean", problem, StringComparison.Ordinal);
    }
}
