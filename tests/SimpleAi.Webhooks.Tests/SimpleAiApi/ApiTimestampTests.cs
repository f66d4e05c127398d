using SimpleAi.Webhooks.SimpleAiApi;

namespace SimpleAi.Webhooks.Tests.SimpleAiApi;

/// <summary>The API's times: parsed as System.Text.Json parses a DateTimeOffset, with the API's text kept beside.</summary>
public sealed class ApiTimestampTests
{
    private static SimpleAiCall Parse(string json) =>
        JsonSerializer.Deserialize<SimpleAiCall>(Encoding.UTF8.GetBytes(json), SimpleAiClient.JsonOptions)!;

    [Theory]
    [InlineData("2025-01-15T10:30:00Z")]
    [InlineData("2025-01-15T10:30:00.123Z")]
    [InlineData("2025-01-15T11:30:00+01:00")]
    [InlineData("2025-01-15T10:30:00")]
    public void Timestamp_KeepsTheTextAndTheValueDateTimeOffsetWouldHave(string text)
    {
        var call = Parse($$"""{"ended_at": "{{text}}"}""");

        Assert.Equal(text, call.EndedAt!.Text);
        Assert.Equal(JsonSerializer.Deserialize<DateTimeOffset>($"\"{text}\""), call.EndedAt.Value);
    }

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("\"2025-13-01T00:00:00Z\"")]
    [InlineData("1736937000")]
    public void NotAnIsoTime_IsRefusedNamingTheField(string value)
    {
        var error = Assert.Throws<JsonException>(() => Parse($$"""{"started_at": {{value}}}"""));

        Assert.Contains("$.started_at", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullOrMissingTimestamp_IsNull()
    {
        var call = Parse("""{"started_at": null, "transcripts": [{"text": "hi"}]}""");

        Assert.Null(call.StartedAt);
        Assert.Null(call.EndedAt);
        Assert.Null(Assert.Single(call.Transcripts).Timestamp);
    }
}
