namespace SimpleAi.Functions.Tests.AddingAStep;

// README "Adding a step in code", step 1, as written there (AddingAStepTests holds the two together).
public sealed class EscalateStep(IHttpClientFactory http, IConfiguration configuration) : IWorkflowStep
{
    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var page = new HttpRequestMessage(HttpMethod.Post, configuration["Escalate:PagerUrl"]);
        page.Headers.Add("Idempotency-Key", context.IdempotencyKey);
        using var response = await http.CreateClient().SendAsync(page, cancellationToken);
        response.EnsureSuccessStatusCode();
        return new StepResult(new Dictionary<string, string> { ["paged"] = "true" });
    }
}
