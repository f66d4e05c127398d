using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Tests.Rules;

public sealed class RuleCompilerTests
{
    private static readonly RuleFields[] CallFields = [CallFacts.Fields];

    private static readonly Dictionary<string, string> Data = new()
    {
        ["tags"] = "billing,escalation",
        ["answered_by"] = "human",
        ["direction"] = "inbound",
        ["duration"] = "405",
        ["analysis:3"] = "true",
        ["analysis:Caller sentiment"] = "negative",
        ["params:plan"] = "pro",
        ["outcome"] = "refund_requested",
    };

    private static bool Evaluate(string field, string op, string? value = null, List<string>? values = null) =>
        RuleCompiler.Compile(new StepRule { Step = "x", When = [new RuleCondition { Field = field, Op = op, Value = value, Values = values }] }, CallFields)(Data);

    [Theory]
    [InlineData("answered_by", "eq", "human", true)]
    [InlineData("answered_by", "eq", "HUMAN", true)]
    [InlineData("answered_by", "eq", "voicemail", false)]
    [InlineData("analysis:3", "eq", "true", true)]
    [InlineData("analysis:3", "eq", "false", false)]
    [InlineData("analysis:Caller sentiment", "eq", "negative", true)]
    [InlineData("duration", "eq", "405.0", true)]
    [InlineData("answered_by", "ne", "voicemail", true)]
    [InlineData("analysis:Caller sentiment", "ne", "negative", false)]
    [InlineData("tags", "contains", "escalation", true)]
    [InlineData("tags", "contains", "Billing", true)]
    [InlineData("tags", "contains", "bill", false)]
    [InlineData("outcome", "contains", "refund", true)]
    [InlineData("duration", "gt", "300", true)]
    [InlineData("duration", "gt", "405", false)]
    [InlineData("duration", "gte", "405", true)]
    [InlineData("duration", "lt", "60", false)]
    [InlineData("duration", "lte", "405", true)]
    [InlineData("params:plan", "matches", "^(pro|enterprise)$", true)]
    [InlineData("params:plan", "matches", "^free$", false)]
    [InlineData("params:plan", "exists", null, true)]
    [InlineData("params:missing", "exists", null, false)]
    public void Operator_ComparesAsDocumented(string field, string op, string? value, bool expected)
    {
        Assert.Equal(expected, Evaluate(field, op, value));
    }

    [Fact]
    public void In_MatchesAnyOfTheValues()
    {
        Assert.True(Evaluate("analysis:Caller sentiment", "in", values: ["neutral", "negative"]));
        Assert.False(Evaluate("analysis:Caller sentiment", "in", values: ["positive"]));
    }

    [Fact]
    public void AllConditions_MustHold()
    {
        var rule = new StepRule
        {
            Step = "ticket",
            When =
            [
                new RuleCondition { Field = "tags", Op = "contains", Value = "escalation" },
                new RuleCondition { Field = "analysis:Caller sentiment", Op = "eq", Value = "positive" },
            ],
        };

        Assert.False(RuleCompiler.Compile(rule, CallFields)(Data));
    }

    [Theory]
    [InlineData("analysis:99", "eq", "true")]
    [InlineData("params:nope", "ne", "x")]
    [InlineData("status", "eq", "completed")]
    public void MissingField_FailsLoudlyNeverTrue(string field, string op, string value)
    {
        var error = Assert.Throws<RuleEvaluationException>(() => Evaluate(field, op, value));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NumberComparisonOnText_FailsLoudly()
    {
        Assert.Throws<RuleEvaluationException>(() => Evaluate("answered_by", "gt", "3"));
    }

    [Fact]
    public void GuardWithExists_ShortCircuitsAMissingField()
    {
        var rule = new StepRule
        {
            Step = "notify",
            When = [new RuleCondition { Field = "analysis:99", Op = "exists" }, new RuleCondition { Field = "analysis:99", Op = "eq", Value = "true" }],
        };

        Assert.False(RuleCompiler.Compile(rule, CallFields)(Data));
    }

    [Theory]
    [InlineData("sentiment", "eq", "x", "unknown field")]
    [InlineData("analysis:", "eq", "x", "unknown field")]
    [InlineData("tags", "like", "x", "unknown operator")]
    [InlineData("duration", "gt", "long", "numeric Value")]
    [InlineData("answered_by", "eq", null, "needs a Value")]
    [InlineData("answered_by", "in", null, "needs Values")]
    [InlineData("params:plan", "matches", "(unclosed", "regular expression is invalid")]
    public void InvalidCondition_IsReportedNamingTheStep(string field, string op, string? value, string problem)
    {
        var rule = new StepRule { Step = "ticket", When = [new RuleCondition { Field = field, Op = op, Value = value }] };

        var errors = RuleCompiler.Validate(rule, CallFields).ToList();

        Assert.Contains(errors, e => e.Contains(problem, StringComparison.Ordinal) && e.Contains("'ticket'", StringComparison.Ordinal));
    }
}
