using SimpleAi.Testing;

namespace SimpleAi.Benchmarks;

/// <summary>
/// The app: signed call.completed posts to WebhookIngest over HTTP (half of them delivered twice, as a sender's retry
/// would), RouteEvent and three no-op steps under the WebJobs queue listeners with host.json's queue settings. A call
/// is accepted when its first delivery got its 202 and done when step c ran.
/// </summary>
public sealed class OursPeerEngine : IPeerEngine
{
    private readonly WorkflowHarness _harness;
    private CallClock? _clock;

    private OursPeerEngine(WorkflowHarness harness)
    {
        _harness = harness;
        _harness.Effects.FaultAfterEffect = context =>
        {
            if (context.Step == WorkflowHarness.Steps[^1])
            {
                _clock?.Done(context.CallId);
            }

            return null;
        };
    }

    public static async Task<IPeerEngine> StartAsync(string connection) =>
        new OursPeerEngine(await WorkflowHarness.Create(connection).WithQueues(HostJsonQueues.Apply).StartAsync());

    public async Task RunAsync(CallClock clock, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        var posts = new List<Task>();
        clock.Start();
        for (var i = 0; i < clock.Calls; i++)
        {
            var call = Guid.NewGuid().ToString("D");
            clock.Sent(call);
            var body = WorkflowHarness.CallCompleted(call, "evt_" + Guid.NewGuid().ToString("N"));
            posts.Add(DeliverAsync(clock, call, body, $"msg_{call}"));
            if (i % 2 == 0)
            {
                posts.Add(DeliverAsync(clock, call, body, $"msg_{call}"));
            }
        }

        await Task.WhenAll(posts);
        await clock.WaitAsync(timeout, () => _harness.Host.DescribeAsync().GetAwaiter().GetResult());
    }

    private async Task DeliverAsync(CallClock clock, string call, byte[] body, string webhookId)
    {
        var response = await _harness.PostAsync(body, webhookId);
        if (response.Status != 202)
        {
            throw new InvalidOperationException($"A delivery was answered {response.Status}, not 202.");
        }

        clock.Accepted(call);
    }

    public Task SettleAsync(TimeSpan timeout) => _harness.Host.WaitUntilIdleAsync(timeout);

    public void ThrowIfFailed()
    {
        if (_harness.Host.Failures.Count != 0)
        {
            throw new InvalidOperationException("The app failed: " + string.Join("; ", _harness.Host.Failures.Take(5)));
        }
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();
}
