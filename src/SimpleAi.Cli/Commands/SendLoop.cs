using System.Diagnostics;
using System.Net.Http.Headers;
using SimpleAi.Webhooks.Signing;
using Spectre.Console;

namespace SimpleAi.Cli.Commands;

/// <summary>
/// The sending loop of <c>send</c>: the plan's deliveries, signed at send time, <see cref="SendPlan.Concurrency"/> in
/// flight and at most <see cref="SendPlan.Rate"/> a second, with Spectre.Console's progress bar while it runs.
/// </summary>
internal static class SendLoop
{
    /// <summary>Sends every delivery; with <paramref name="progress"/> (and more than one delivery) shows a bar on it.</summary>
    public static async Task<SendSummary> RunAsync(SendPlan plan, TimeProvider time, IAnsiConsole? progress, CancellationToken cancellationToken)
    {
        var deliveries = plan.Deliveries();
        if (progress is null || deliveries.Count < 2)
        {
            return await SendAllAsync(plan, deliveries, time, () => { }, cancellationToken);
        }

        return await new Progress(progress)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("sending", maxValue: deliveries.Count);
                return await SendAllAsync(plan, deliveries, time, () => task.Increment(1), cancellationToken);
            });
    }

    private static async Task<SendSummary> SendAllAsync(
        SendPlan plan, List<Delivery> deliveries, TimeProvider time, Action finished, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = plan.Timeout };
        var results = new SendResult[deliveries.Count];
        using var gate = new SemaphoreSlim(plan.Concurrency);
        var clock = Stopwatch.StartNew();
        var tasks = deliveries.Select(async (delivery, index) =>
        {
            if (plan.Rate > 0)
            {
                var due = TimeSpan.FromSeconds(index / plan.Rate) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellationToken);
                }
            }

            await gate.WaitAsync(cancellationToken);
            try
            {
                results[index] = await PostAsync(http, plan, delivery, time, cancellationToken);
            }
            finally
            {
                gate.Release();
                finished();
            }
        }).ToList();
        await Task.WhenAll(tasks);
        return SendSummary.Of(results, clock.Elapsed);
    }

    private static async Task<SendResult> PostAsync(HttpClient http, SendPlan plan, Delivery delivery, TimeProvider time, CancellationToken cancellationToken)
    {
        var headers = StandardWebhookSigner.Sign(plan.Secret, delivery.WebhookId, time.GetUtcNow().ToUnixTimeSeconds(), delivery.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, plan.Url)
        {
            Content = new ByteArrayContent(delivery.Body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Add(WebhookHeaders.IdName, headers.Id);
        request.Headers.Add(WebhookHeaders.TimestampName, headers.Timestamp);
        request.Headers.Add(WebhookHeaders.SignatureName, headers.Signature);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var failure = response.IsSuccessStatusCode ? null : await SendFailure.OfAnswerAsync(response, cancellationToken);
            return new SendResult((int)response.StatusCode, milliseconds, failure);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new SendResult(0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, SendFailure.OfTransport(e, plan.Timeout, plan.Url.Host));
        }
    }
}
