using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.Rules;
using SimpleAi.Webhooks.SimpleAiApi;

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

    /// <summary>The run's data of a call whose API answer has these fields null: a null value is left out of the data.</summary>
    private static readonly Dictionary<string, string> NullsCall = CallFacts.Of(JsonSerializer.Deserialize<SimpleAiCall>(
        """
        {"status": "completed", "answered_by": null, "duration": null, "summary": {"outcome": null}, "tags": [],
         "analysis_results": [{"analyzer_id": 4, "prompt": "Caller sentiment", "result": null}],
         "params": {"plan": null}}
        """,
        SimpleAiClient.JsonOptions)!);

    private static RuleVerdict Evaluate(string field, string op, string? value = null, List<string>? values = null, IReadOnlyDictionary<string, string>? data = null) =>
        RuleCompiler.Compile(new StepRule { Step = "x", When = [Condition(field, op, value, values)] }, CallFields)(data ?? Data);

    private static RuleCondition Condition(string field, string op, string? value = null, List<string>? values = null) =>
        new() { Field = field, Op = op, Value = value, Values = op == "in" ? values ?? [value ?? "x"] : values };

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
    [InlineData("analysis:Caller sentiment", "in", "negative", true)]
    [InlineData("analysis:Caller sentiment", "in", "positive", false)]
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
    public void PresentField_ComparesAsDocumented(string field, string op, string? value, bool expected)
    {
        Assert.Equal(RuleVerdict.Of(expected), Evaluate(field, op, value));
    }

    [Fact]
    public void In_MatchesAnyOfTheValues()
    {
        Assert.Equal(RuleVerdict.True, Evaluate("analysis:Caller sentiment", "in", values: ["neutral", "negative"]));
        Assert.Equal(RuleVerdict.False, Evaluate("analysis:Caller sentiment", "in", values: ["positive"]));
    }

    /// <summary>Every operator but exists, on a field the call lacks: no match (ne included), and the verdict names the field.</summary>
    [Theory]
    [InlineData("analysis:99", "eq", "true")]
    [InlineData("analysis:99", "ne", "true")]
    [InlineData("analysis:99", "in", "true")]
    [InlineData("analysis:99", "contains", "t")]
    [InlineData("analysis:99", "matches", "^t")]
    [InlineData("analysis:99", "gt", "1")]
    [InlineData("analysis:99", "gte", "1")]
    [InlineData("analysis:99", "lt", "1")]
    [InlineData("analysis:99", "lte", "1")]
    [InlineData("params:nope", "ne", "x")]
    [InlineData("status", "eq", "completed")]
    [InlineData("external_identifiers:crm_contact_id", "exists", null)]
    public void AbsentField_SkipsTheStepNamingTheField(string field, string op, string? value)
    {
        var expected = op == "exists" ? RuleVerdict.False : RuleVerdict.Missed(new FieldMiss(field, FieldMiss.Absent, $"field '{field}' absent from the call"));

        Assert.Equal(expected, Evaluate(field, op, value));
    }

    /// <summary>A value the API answers null is left out of the run's data: the same as absent.</summary>
    [Theory]
    [InlineData("answered_by", "eq", "human")]
    [InlineData("answered_by", "ne", "voicemail")]
    [InlineData("answered_by", "in", "human")]
    [InlineData("outcome", "contains", "refund")]
    [InlineData("outcome", "matches", ".*")]
    [InlineData("duration", "gt", "0")]
    [InlineData("duration", "lte", "0")]
    [InlineData("analysis:4", "eq", "negative")]
    [InlineData("analysis:Caller sentiment", "ne", "negative")]
    [InlineData("params:plan", "eq", "pro")]
    [InlineData("params:plan", "exists", null)]
    [InlineData("analysis:4", "exists", null)]
    public void NullField_SkipsTheStepAsAbsent(string field, string op, string? value)
    {
        var expected = op == "exists" ? RuleVerdict.False : RuleVerdict.Missed(FieldMiss.AbsentFrom(field, "the call"));

        Assert.Equal(expected, Evaluate(field, op, value, data: NullsCall));
    }

    /// <summary>A numeric comparison on text: no match, and the verdict names the field and the operator, never the value.</summary>
    [Theory]
    [InlineData("answered_by", "gt")]
    [InlineData("answered_by", "gte")]
    [InlineData("analysis:Caller sentiment", "lt")]
    [InlineData("tags", "lte")]
    public void NumericComparisonOnText_SkipsTheStepNamingTheFieldNotItsValue(string field, string op)
    {
        var verdict = Evaluate(field, op, "3");

        Assert.Equal(RuleVerdict.Missed(new FieldMiss(field, FieldMiss.NotANumber, $"field '{field}' is not a number, which '{op}' compares")), verdict);
        Assert.DoesNotContain(Data[field], verdict.Miss!.Reason, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The other operators take any type: text is compared as text, so a number against text is a plain false or true.</summary>
    [Theory]
    [InlineData("answered_by", "eq", "3", false)]
    [InlineData("answered_by", "ne", "3", true)]
    [InlineData("analysis:3", "in", "1", false)]
    [InlineData("duration", "eq", "four hundred", false)]
    [InlineData("duration", "contains", "40", true)]
    [InlineData("duration", "matches", "^4\\d+$", true)]
    [InlineData("tags", "matches", "^billing,", true)]
    public void OtherOperatorOnAnotherType_ComparesTheText(string field, string op, string value, bool expected)
    {
        Assert.Equal(RuleVerdict.Of(expected), Evaluate(field, op, value));
    }

    public static TheoryData<string, RuleCondition[], RuleVerdict> ConditionLists() => new()
    {
        { "all hold", [Condition("tags", "contains", "escalation"), Condition("analysis:Caller sentiment", "eq", "negative")], RuleVerdict.True },
        { "the second is false", [Condition("tags", "contains", "escalation"), Condition("analysis:Caller sentiment", "eq", "positive")], RuleVerdict.False },
        { "a false one stops before an absent one", [Condition("tags", "contains", "nope"), Condition("analysis:99", "eq", "true")], RuleVerdict.False },
        {
            "an absent one stops before a false one",
            [Condition("analysis:99", "eq", "true"), Condition("tags", "contains", "nope")],
            RuleVerdict.Missed(FieldMiss.AbsentFrom("analysis:99", "the call"))
        },
        { "exists first guards an absent field: plain false", [Condition("analysis:99", "exists"), Condition("analysis:99", "eq", "true")], RuleVerdict.False },
        {
            "a text field after true ones",
            [Condition("tags", "contains", "billing"), Condition("outcome", "gte", "2")],
            RuleVerdict.Missed(FieldMiss.NotNumeric("outcome", "gte"))
        },
    };

    [Theory]
    [MemberData(nameof(ConditionLists))]
    public void Conditions_AreEvaluatedInOrderAndTheFirstThatDoesNotHoldGivesTheVerdict(string scenario, RuleCondition[] when, RuleVerdict expected)
    {
        var verdict = RuleCompiler.Compile(new StepRule { Step = "ticket", When = [.. when] }, CallFields)(Data);

        Assert.True(expected == verdict, $"{scenario}: {verdict}");
    }

    [Theory]
    [InlineData("sentiment", "eq", "x", "unknown field")]
    [InlineData("analysis:", "eq", "x", "unknown field")]
    [InlineData("analyses:3", "eq", "x", "unknown field")]
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
