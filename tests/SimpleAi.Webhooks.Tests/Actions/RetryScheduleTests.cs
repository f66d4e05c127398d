using System.Net;
using System.Net.Http.Headers;
using SimpleAi.Webhooks.Actions;

namespace SimpleAi.Webhooks.Tests.Actions;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void DefaultSchedule_SpansAtLeastADay()
    {
        var schedule = RetrySchedule.Parse(null);

        Assert.Equal(9, schedule.Tries);
        Assert.True(schedule.Delays.Aggregate(TimeSpan.Zero, (sum, delay) => sum + delay) >= TimeSpan.FromHours(24));
        Assert.Equal(schedule.Delays, RetrySchedule.Parse(schedule.ToString()).Delays);
    }

    [Theory]
    [InlineData("500ms, 2s,1.5m,1h,1d", new[] { 0.5, 2, 90, 3600, 86400 })]
    [InlineData("30s", new[] { 30.0 })]
    public void Schedule_ParsesEachUnit(string text, double[] seconds)
    {
        Assert.Equal(seconds.Select(TimeSpan.FromSeconds), RetrySchedule.Parse(text).Delays);
    }

    [Theory]
    [InlineData("5s,soon", "'soon' is not a duration")]
    [InlineData("5", "'5' is not a duration")]
    [InlineData("5s,,1m", "'' is not a duration")]
    [InlineData("7d", "longer than the 6 days")]
    public void BadSchedule_SaysWhichEntryAndWhy(string text, string expected)
    {
        Assert.False(RetrySchedule.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void DelayAfter_FollowsTheScheduleThenEnds()
    {
        var schedule = RetrySchedule.Parse("5s,1m");

        Assert.Equal(TimeSpan.FromSeconds(5), schedule.DelayAfter(1, null));
        Assert.Equal(TimeSpan.FromMinutes(1), schedule.DelayAfter(2, null));
        Assert.Null(schedule.DelayAfter(3, null));
    }

    [Fact]
    public void RetryAfter_ReplacesTheScheduledDelay_WithinTheLongestWait()
    {
        var schedule = RetrySchedule.Parse("5s,1m");

        Assert.Equal(TimeSpan.FromSeconds(7), schedule.DelayAfter(1, TimeSpan.FromSeconds(7)));
        Assert.Equal(TimeSpan.FromSeconds(2), schedule.DelayAfter(2, TimeSpan.FromSeconds(2)));
        Assert.Equal(RetrySchedule.MaxDelay, schedule.DelayAfter(1, TimeSpan.FromDays(30)));
        Assert.Null(schedule.DelayAfter(3, TimeSpan.FromSeconds(7)));
    }

    [Fact]
    public void RetryAfterHeader_InSecondsOrAsADate_IsAWaitFromNow()
    {
        using var seconds = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Headers = { RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)) } };
        using var date = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new RetryConditionHeaderValue(Now.AddMinutes(2)) } };
        using var past = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new RetryConditionHeaderValue(Now.AddMinutes(-2)) } };
        using var none = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);

        Assert.Equal(TimeSpan.FromSeconds(7), DeliveryOutcome.RetryAfterOf(seconds, Now));
        Assert.Equal(TimeSpan.FromMinutes(2), DeliveryOutcome.RetryAfterOf(date, Now));
        Assert.Equal(TimeSpan.Zero, DeliveryOutcome.RetryAfterOf(past, Now));
        Assert.Null(DeliveryOutcome.RetryAfterOf(none, Now));
    }

    [Theory]
    [InlineData(200, DeliveryResult.Delivered)]
    [InlineData(204, DeliveryResult.Delivered)]
    [InlineData(408, DeliveryResult.Retryable)]
    [InlineData(429, DeliveryResult.Retryable)]
    [InlineData(500, DeliveryResult.Retryable)]
    [InlineData(503, DeliveryResult.Retryable)]
    [InlineData(400, DeliveryResult.Refused)]
    [InlineData(410, DeliveryResult.Refused)]
    public async Task Status_DecidesTheOutcome(int status, DeliveryResult expected)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent("why") };

        var outcome = await DeliveryOutcome.OfAsync(response, Now, CancellationToken.None);

        Assert.Equal((expected, status), (outcome.Result, outcome.Status));
        Assert.StartsWith(status.ToString(System.Globalization.CultureInfo.InvariantCulture), outcome.Reason, StringComparison.Ordinal);
    }
}
