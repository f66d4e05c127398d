using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using SimpleAi.Testing;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Storage;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Benchmarks;

/// <summary>
/// One workflow step (the middle step of a, b, c, a no-op side effect) run by <see cref="StepRunner"/> on Azurite:
/// read the run, check the token, claim the step (a conditional write), run the step, record completion and the next
/// token in one conditional write, send the next step. Floor: the same three bare storage operations on the same rows (point read, ETag-conditional
/// replace, queue send of the same message), which no exactly-once step can skip.
/// </summary>
public class StepBenchmarks : AzuriteBenchmark
{
    private readonly Queue<(string RunId, string Message)> _prepared = new();
    private StepRunner? _runner;
    private RunStore? _runs;
    private TableClient? _table;
    private QueueClient? _floorQueue;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        await StartAsync(
            settings =>
            {
                for (var i = 0; i < WorkflowHarness.Steps.Length; i++)
                {
                    settings[$"Workflow:Steps:{i}:Step"] = WorkflowHarness.Steps[i];
                }
            },
            services => services.AddWorkflowStep<NoOpStep>("a").AddWorkflowStep<NoOpStep>("b").AddWorkflowStep<NoOpStep>("c"));
        _runner = App.GetRequiredService<StepRunner>();
        _runs = App.GetRequiredService<RunStore>();
        var tables = new TableServiceClient(Azurite.ConnectionString, AzureConnections.TableOptions());
        await tables.CreateTableIfNotExistsAsync(TableNames.Runs);
        _table = tables.GetTableClient(TableNames.Runs);
        var queues = new QueueServiceClient(Azurite.ConnectionString, AzureConnections.QueueOptions());
        await queues.GetQueueClient(QueueNames.Step("c")).CreateIfNotExistsAsync();
        _floorQueue = queues.GetQueueClient("step-floor");
        await _floorQueue.CreateIfNotExistsAsync();

        // The benchmark must measure a step that runs, not a duplicate dropped after the read.
        await PrepareAsync(1);
        var (runId, _) = _prepared.Peek();
        await Step();
        var run = await _runs.FindAsync(runId, CancellationToken.None);
        if (run?.Steps["b"].Status != StepStatus.Completed || run.Steps["c"].Status != StepStatus.Queued)
        {
            throw new InvalidOperationException("The benchmarked step did not complete and queue the next one.");
        }
    }

    [IterationSetup]
    public void PrepareIteration() => PrepareAsync(128).GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "floor: read + conditional write + send")]
    public async Task Floor()
    {
        var (runId, message) = _prepared.Dequeue();
        var row = (await _table!.GetEntityAsync<TableEntity>(runId, RunStore.RowKeyOf(runId))).Value;
        await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
        await _floorQueue!.SendMessageAsync(BinaryData.FromString(message), timeToLive: TimeSpan.FromSeconds(-1));
    }

    [Benchmark(Description = "ours: StepRunner.RunAsync (one step)")]
    public Task Step()
    {
        var (runId, message) = _prepared.Dequeue();
        return _runner!.RunAsync("b", message, new QueueDelivery(runId, 1), CancellationToken.None);
    }

    /// <summary>Runs whose step a is done and step b queued, with the data a fetched call leaves; and b's message.</summary>
    private async Task PrepareAsync(int count)
    {
        _prepared.Clear();
        var created = new List<Task<(string, string)>>();
        for (var i = 0; i < count; i++)
        {
            var callId = Guid.NewGuid().ToString("D");
            var run = new WorkflowRun { RunId = callId, CallId = callId, EventId = "evt_" + callId, CreatedAt = DateTimeOffset.UtcNow, Status = RunStatus.Running };
            foreach (var (key, value) in Facts(callId))
            {
                run.Data[key] = value;
            }

            run.Steps["a"] = new StepState(StepStatus.Completed, Attempts: 1, FinishedAt: DateTimeOffset.UtcNow);
            run.Steps["b"] = StepState.Queue();
            created.Add(CreateAsync(run));
        }

        // As step a's completion would send it: carrying the run as stored.
        foreach (var prepared in await Task.WhenAll(created))
        {
            _prepared.Enqueue(prepared);
        }
    }

    private async Task<(string RunId, string Message)> CreateAsync(WorkflowRun run)
    {
        await _runs!.TryCreateAsync(run, CancellationToken.None);
        return (run.RunId, RunStore.MessageFor(run, "b", null, null).Encode().ToString());
    }

    private static Dictionary<string, string> Facts(string callId) => new()
    {
        ["call_id"] = callId,
        ["event_id"] = "evt_" + callId,
        ["event_type"] = "call.completed",
        ["status"] = "completed",
        ["direction"] = "inbound",
        ["answered_by"] = "human",
        ["from_number"] = "+15551234567",
        ["to_number"] = "+15557654321",
        ["duration_seconds"] = "184",
        ["outcome"] = "resolved",
        ["tags"] = "billing,escalation",
        ["analysis:sentiment"] = "negative",
        ["analysis:refund_requested"] = "true",
        ["params:customer_id"] = "cus_" + callId[..8],
        ["external_identifiers:crm_id"] = "C-" + callId[..6].ToUpper(CultureInfo.InvariantCulture),
    };

    public sealed class NoOpStep : IWorkflowStep
    {
        private static readonly Task<StepResult> Done = Task.FromResult(StepResult.Done);

        public Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken) => Done;
    }
}
