using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using SimpleAi.Testing;

namespace SimpleAi.Benchmarks;

/// <summary>
/// Sustained storage traffic shaped like the app's (sends; batched receives of 32 whose messages each get a table
/// insert, a point read and a delete, all in parallel) against one Azurite for a fixed time, recording answered
/// requests per second, the slowest answer and every window of 5 s or more in which no request was answered.
/// Run it in memory and on disk for longer than a few of Azurite's 60 s queue clean-up passes.
/// </summary>
public static class AzuriteSoak
{
    private const int Producers = 8;
    private const int Consumers = 16;
    private const int Backlog = 2_000;
    private static readonly TimeSpan StallWindow = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    public static async Task<LoopResult> RunAsync(bool inMemory, TimeSpan duration)
    {
        var mode = inMemory ? "memory" : "disk";
        var startClock = Stopwatch.StartNew();
        var azurite = new AzuriteFixture { InMemory = inMemory };
        await azurite.InitializeAsync();
        var startSeconds = startClock.Elapsed.TotalSeconds;
        try
        {
            var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
            options.Retry.MaxRetries = 0;
            options.Retry.NetworkTimeout = TimeSpan.FromMinutes(3);
            var tableOptions = new TableClientOptions();
            tableOptions.Retry.MaxRetries = 0;
            tableOptions.Retry.NetworkTimeout = TimeSpan.FromMinutes(3);
            var queue = new QueueServiceClient(azurite.ConnectionString, options).GetQueueClient("soak");
            var table = new TableServiceClient(azurite.ConnectionString, tableOptions).GetTableClient("soak");
            await queue.CreateIfNotExistsAsync();
            await table.CreateIfNotExistsAsync();

            var recorder = new Recorder(duration);
            using var stop = new CancellationTokenSource(duration);

            // A request still unanswered this long after the end is abandoned (and counted as failed), so a frozen
            // Azurite cannot hold the run open for another timeout.
            using var abandon = new CancellationTokenSource(duration + Grace);
            var token = abandon.Token;
            var outstanding = 0L;
            var workers = new List<Task>();
            for (var i = 0; i < Producers; i++)
            {
                workers.Add(Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        if (Interlocked.Read(ref outstanding) >= Backlog)
                        {
                            await Task.Delay(5, CancellationToken.None);
                            continue;
                        }

                        Interlocked.Increment(ref outstanding);
                        await recorder.TimeAsync(() => queue.SendMessageAsync(Guid.NewGuid().ToString("N"), token));
                    }
                }));
            }

            for (var i = 0; i < Consumers; i++)
            {
                workers.Add(Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        QueueMessage[] messages = [];
                        await recorder.TimeAsync(async () => messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30), token)).Value);
                        if (messages.Length == 0)
                        {
                            await Task.Delay(10, CancellationToken.None);
                            continue;
                        }

                        await Task.WhenAll(messages.Select(async message =>
                        {
                            var entity = new TableEntity(message.MessageText, message.MessageId) { ["Body"] = message.MessageText };
                            await recorder.TimeAsync(() => table.AddEntityAsync(entity, token));
                            await recorder.TimeAsync(() => table.GetEntityAsync<TableEntity>(message.MessageText, message.MessageId, cancellationToken: token));
                            await recorder.TimeAsync(() => queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, token));
                        }));
                        Interlocked.Add(ref outstanding, -messages.Length);
                    }
                }));
            }

            var all = Task.WhenAll(workers);
            await recorder.MonitorAsync(all);
            await all;
            return recorder.Report(mode, startSeconds);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private sealed class Recorder(TimeSpan duration)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly int[] _perSecond = new int[(int)duration.TotalSeconds + 600];
        private readonly ConcurrentQueue<string> _failures = new();
        private readonly List<(double From, double Seconds)> _stalls = [];
        private long _lastCompletionTicks;
        private long _slowestTicks;
        private double _slowestAt;
        private long _completed;

        public async Task TimeAsync(Func<Task> request)
        {
            var started = _clock.ElapsedTicks;
            try
            {
                await request();
            }
            catch (RequestFailedException e)
            {
                _failures.Enqueue($"{e.Status} {e.ErrorCode}");
                return;
            }
            catch (Exception e) when (e is TaskCanceledException or TimeoutException or IOException or System.Net.Http.HttpRequestException)
            {
                // A timed-out request is not an answer: it neither counts nor ends a stall.
                _failures.Enqueue($"{e.GetType().Name} after {(double)(_clock.ElapsedTicks - started) / Stopwatch.Frequency:F0} s");
                return;
            }

            var now = _clock.ElapsedTicks;
            Interlocked.Increment(ref _perSecond[Math.Min(_perSecond.Length - 1, (int)(now / Stopwatch.Frequency))]);
            Interlocked.Increment(ref _completed);
            Interlocked.Exchange(ref _lastCompletionTicks, now);
            var took = now - started;
            long slowest;
            while (took > (slowest = Interlocked.Read(ref _slowestTicks)))
            {
                if (Interlocked.CompareExchange(ref _slowestTicks, took, slowest) == slowest)
                {
                    _slowestAt = (double)started / Stopwatch.Frequency;
                }
            }
        }

        /// <summary>Until the workers end, every 100 ms: is the time since the last answer a stall of 5 s or more? Prints a line every 10 s.</summary>
        public async Task MonitorAsync(Task workers)
        {
            var stallFrom = -1.0;
            var lastPrint = 0L;
            while (true)
            {
                var stopping = workers.IsCompleted;
                await Task.WhenAny(workers, Task.Delay(100));

                var now = (double)_clock.ElapsedTicks / Stopwatch.Frequency;
                var last = (double)Interlocked.Read(ref _lastCompletionTicks) / Stopwatch.Frequency;
                if (now - last >= StallWindow.TotalSeconds)
                {
                    stallFrom = last;
                }
                else if (stallFrom >= 0)
                {
                    lock (_stalls)
                    {
                        _stalls.Add((stallFrom, last - stallFrom));
                    }

                    Console.WriteLine($"  stall: nothing answered from {stallFrom:F1} s to {last:F1} s ({last - stallFrom:F1} s)");
                    stallFrom = -1;
                }

                var second = (long)now;
                if (second / 10 > lastPrint / 10)
                {
                    lastPrint = second;
                    var window = _perSecond.Skip((int)second - 10).Take(10).ToArray();
                    Console.WriteLine($"  {second,5} s: {window.Average(),6:F0} req/s (min {window.Min()}/s over the last 10 s), {Interlocked.Read(ref _completed):N0} done, {_failures.Count} failed");
                }

                if (stopping)
                {
                    if (stallFrom >= 0)
                    {
                        _stalls.Add((stallFrom, now - stallFrom));
                    }

                    return;
                }
            }
        }

        public LoopResult Report(string mode, double startSeconds)
        {
            var seconds = (int)Math.Ceiling((double)_clock.ElapsedTicks / Stopwatch.Frequency);
            var series = _perSecond.Take(seconds).ToArray();
            var full = series.Skip(10).Take(Math.Max(1, seconds - 20)).ToArray(); // without the ramp-up and the drain
            var slowest = (double)_slowestTicks / Stopwatch.Frequency;
            var failures = _failures.GroupBy(f => f).Select(g => $"{g.Key} x{g.Count()}").ToList();
            var minutes = Enumerable.Range(0, (seconds + 59) / 60)
                .Select(m => series.Skip(m * 60).Take(60).ToArray())
                .Select((s, m) => $"| {m + 1} | {s.Average():F0} | {s.Min()} | {s.Count(x => x == 0)} |");
            var page = $"AzuriteSoak-{mode}.md";
            var report = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"# Azurite soak, {mode} ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, .NET {Environment.Version})")
                .AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"{Producers} senders (backlog ≤ {Backlog:N0}) and {Consumers} receivers (batches of 32; per message a table insert, a point read and a delete, in parallel) for {seconds} s against one Azurite started with `{(mode == "memory" ? "--inMemoryPersistence" : "--location <temp>")}` (start-up {startSeconds:F2} s).")
                .AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"- answered requests: {_completed:N0} ({full.Average():F0}/s mean, {full.Min()}/s lowest second, {full.Count(x => x == 0)} seconds with none, ramp-up and drain excluded)")
                .AppendLine(CultureInfo.InvariantCulture, $"- slowest answered request: {slowest:F2} s (started at {_slowestAt:F0} s)")
                .AppendLine(CultureInfo.InvariantCulture, $"- windows of ≥ {StallWindow.TotalSeconds:F0} s with no answered request: {_stalls.Count}{(_stalls.Count == 0 ? string.Empty : ": " + string.Join(", ", _stalls.Select(s => $"{s.Seconds:F1} s at {s.From:F0} s")))}")
                .AppendLine(CultureInfo.InvariantCulture, $"- failed requests: {(failures.Count == 0 ? "none" : string.Join(", ", failures))}")
                .AppendLine()
                .AppendLine("| minute | mean req/s | lowest second | seconds with none |")
                .AppendLine("|---:|---:|---:|---:|")
                .AppendJoin(Environment.NewLine, minutes)
                .AppendLine()
                .AppendLine()
                .AppendLine("Answered requests per second:")
                .AppendLine()
                .AppendLine(string.Join(' ', series))
                .ToString();
            return new LoopResult(page, report, []);
        }
    }
}
