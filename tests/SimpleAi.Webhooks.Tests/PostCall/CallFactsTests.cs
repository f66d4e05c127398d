using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.SimpleAiApi;

namespace SimpleAi.Webhooks.Tests.PostCall;

/// <summary>The fetched call as the run's data holds it: the names rules read, in the order the run stores them.</summary>
public sealed class CallFactsTests
{
    [Fact]
    public void ExampleCall_IsFlattenedIntoTheNamesRulesRead()
    {
        var call = JsonSerializer.Deserialize<SimpleAiCall>(RepoPaths.FixtureBytes("get-call-completed.json"), SimpleAiClient.JsonOptions)!;

        var facts = CallFacts.Of(call);

        Assert.Equal(
            [
                ("status", "completed"), ("direction", "inbound"), ("answered_by", "human"), ("from_number", "+15551234567"),
                ("to_number", "+15557654321"), ("started_at", "2026-04-12T14:30:02Z"), ("duration", "405"), ("outcome", "refund_requested"), ("tags", "billing,escalation"),
                ("analysis:3", "true"), ("analysis:Did the caller request a refund?", "true"), ("analysis:4", "negative"),
                ("analysis:Caller sentiment", "negative"), ("params:customer_name", "Dana Ortiz"), ("params:plan", "pro"),
                ("external_identifiers:crm_contact_id", "C-10442"),
            ],
            facts.Select(fact => (fact.Key, fact.Value)));
    }

    [Fact]
    public void CallWithoutValues_LeavesThemOutButKeepsTags()
    {
        var facts = CallFacts.Of(new SimpleAiCall { Status = "failed" });

        Assert.Equal([("status", "failed"), ("tags", "")], facts.Select(fact => (fact.Key, fact.Value)));
    }

    [Fact]
    public void Names_AreTheOneValueFieldsAndTags()
    {
        Assert.Equal(["status", "direction", "answered_by", "from_number", "to_number", "started_at", "duration", "outcome", "tags"], CallFacts.Names);
    }
}
