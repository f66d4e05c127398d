using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Rules;
using SimpleAi.Webhooks.Signing;
using SimpleAi.Webhooks.Transcripts;

namespace SimpleAi.Webhooks.Tests.Hosting;

/// <summary>
/// Every start-up check the options validators make, each problem in the order it is reported: the whole list is
/// compared, so a check that goes missing, comes twice or changes its words fails here.
/// </summary>
public sealed class OptionsValidatorsTests
{
    private static readonly RuleFields ScoreFields = new("score", "the score", ["score"], [], []);

    private static readonly WorkflowContributions Contributions = new(
        [new("score", typeof(object)), new("alert", typeof(object)), new("crm", typeof(object))],
        [ScoreFields],
        [new CrmNeedsEndpoint()],
        []);

    private static StepRule Step(string step, string? field = null) => new()
    {
        Step = step,
        When = field is null ? [] : [new RuleCondition { Field = field, Op = "exists" }],
    };

    private static KeywordTrigger Trigger(string name, string step, string? pattern = null, params string[] phrases) =>
        new() { Name = name, Step = step, Pattern = pattern, Phrases = [.. phrases] };

    private static IEnumerable<string> Failures(ValidateOptionsResult result) => result.Failures ?? [];

    [Fact]
    public void WorkflowWithEveryStepKnownOnceAndInOrder_Succeeds()
    {
        var options = new WorkflowOptions { Steps = [Step("score"), Step("alert", "score")] };

        var result = new WorkflowOptionsValidator(Contributions).Validate(null, options);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void WorkflowWithEveryKindOfMistake_ListsEachProblemInStepOrder()
    {
        var options = new WorkflowOptions
        {
            Steps = [Step("nope"), Step("alert", "score"), Step("crm"), Step("score"), Step("score", "mood")],
        };

        var result = new WorkflowOptionsValidator(Contributions).Validate(null, options);

        Assert.Equal(
            [
                "Workflow step 'nope' is unknown (known: alert, crm, score).",
                "Workflow step 'alert' has conditions on the score, so 'score' must come before it.",
                "Workflow step 'crm' has no endpoint.",
                "Workflow step 'score' appears twice.",
                .. RuleCompiler.Validate(Step("score", "mood"), [ScoreFields]),
            ],
            Failures(result));
    }

    [Fact]
    public void StepWithConditionsOnItsOwnFields_IsRefused()
    {
        var options = new WorkflowOptions { Steps = [Step("score", "score"), Step("alert", "score")] };

        var result = new WorkflowOptionsValidator(Contributions).Validate(null, options);

        Assert.Equal(
            ["Workflow step 'score' has conditions on the score, which it provides itself: they are evaluated before it runs, so only a later step can read them."],
            Failures(result));
    }

    [Fact]
    public void NoKeywordTriggers_Succeeds()
    {
        var result = new TranscriptOptionsValidator(Contributions).Validate(null, new TranscriptOptions());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void KeywordTriggersWithEveryKindOfMistake_ListsEachProblemPerTriggerThenUniqueness()
    {
        var options = new TranscriptOptions
        {
            Triggers =
            [
                Trigger("", "nope"),
                Trigger("a:b", "crm", "("),
                Trigger("ok", "score", phrases: "refund"),
                Trigger("ok", "score", @"\bcancel\b"),
            ],
        };

        var result = new TranscriptOptionsValidator(Contributions).Validate(null, options);

        Assert.Equal(
            [
                "Transcripts trigger '': a Name (without ':') is required.",
                "Transcripts trigger '': give Phrases or a Pattern.",
                "Transcripts trigger '': step 'nope' is unknown.",
                "Transcripts trigger 'a:b': a Name (without ':') is required.",
                "Transcripts trigger 'a:b': Pattern is not a valid regular expression.",
                "Workflow step 'crm' has no endpoint.",
                "Transcripts trigger names must be unique.",
            ],
            Failures(result));
    }

    [Fact]
    public void CallStartedWithoutUrl_SucceedsWhateverTheSecret()
    {
        var result = new CallStartedOptionsValidator().Validate(null, new CallStartedOptions { Secret = "nope" });

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("/relative", "whsec_", "CallStarted__Url must be an absolute http(s) URL (or empty: call.started is then not forwarded).", "CallStarted__Secret: the secret is empty (a whsec_ secret: call.started is forwarded).")]
    [InlineData("ftp://example.test/x", TestSigning.Secret, "CallStarted__Url must be an absolute http(s) URL (or empty: call.started is then not forwarded).", null)]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/u)", "replace-with-a-secret", "CallStarted__Url holds an unresolved Key Vault reference", "CallStarted__Secret still holds the sample's placeholder")]
    [InlineData("https://example.test/started", TestSigning.Secret, null, null)]
    public void CallStartedWithUrl_ChecksUrlThenSecret(string url, string secret, string? urlProblem, string? secretProblem)
    {
        var options = new CallStartedOptions { Url = new Uri(url, UriKind.RelativeOrAbsolute), Secret = secret };

        var result = new CallStartedOptionsValidator().Validate(null, options);

        var expected = new[] { urlProblem, secretProblem }.OfType<string>().ToList();
        Assert.Equal(expected.Count, Failures(result).Count());
        Assert.All(expected.Zip(Failures(result)), pair => Assert.StartsWith(pair.First, pair.Second, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("@Microsoft.KeyVault(VaultName=v;SecretName=a, b)", "Webhook__SigningSecrets holds an unresolved Key Vault reference")]
    [InlineData(" , ", "Webhook__SigningSecrets is required (one or more whsec_ secrets, separated by spaces).")]
    [InlineData(TestSigning.Secret + " whsec_!!! whsec_", "Webhook__SigningSecrets entry #2: the secret is not base64 after the 'whsec_' prefix.|Webhook__SigningSecrets entry #3:")]
    [InlineData(TestSigning.Secret + " " + TestSigning.OtherSecret, "")]
    public void SigningSecrets_ListsEachProblemWithItsEntry(string secrets, string problems)
    {
        var result = new WebhookSigningOptionsValidator().Validate(null, new WebhookSigningOptions { SigningSecrets = secrets });

        var expected = problems.Split('|', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Length, Failures(result).Count());
        Assert.All(expected.Zip(Failures(result)), pair => Assert.StartsWith(pair.First, pair.Second, StringComparison.Ordinal));
    }

    private sealed class CrmNeedsEndpoint : IWorkflowCheck
    {
        public IEnumerable<string> Problems(WorkflowStepRegistration step) =>
            step.Name == "crm" ? [$"Workflow step '{step.Name}' has no endpoint."] : [];
    }
}
