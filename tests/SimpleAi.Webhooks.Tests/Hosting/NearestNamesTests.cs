using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Webhooks.Tests.Hosting;

public sealed class NearestNamesTests
{
    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("answred_by", "answered_by", 1)]
    [InlineData("sentimnet", "sentiment", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("Status", "status", 0)]
    public void Distance_CountsEditsIgnoringCase(string a, string b, int expected)
    {
        Assert.Equal(expected, NearestNames.Distance(a, b));
        Assert.Equal(expected, NearestNames.Distance(b, a));
    }

    [Theory]
    [InlineData("crm-synk", "crm-sync")]
    [InlineData("notfy", "notify")]
    [InlineData("ticekt", "ticket")]
    [InlineData("fetch_call", "fetch-call")]
    public void NearName_IsSuggested(string name, string expected)
    {
        Assert.Equal([expected], NearestNames.Of(name, ["crm-sync", "fetch-call", "notify", "ticket", "follow-up"]));
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("x")]
    [InlineData("crm-sync")]
    public void NothingNearOrTheNameItself_SuggestsNothing(string name)
    {
        Assert.Empty(NearestNames.Of(name, ["crm-sync", "fetch-call", "notify", "ticket"]));
    }

    [Fact]
    public void TiedNames_AreAllSuggested()
    {
        var names = NearestNames.Of("tag", ["tags", "tab", "status"]);

        Assert.Equal(["tags", "tab"], names);
        Assert.Equal(": did you mean 'tags' or 'tab'?", NearestNames.Suggestion(names));
    }
}
