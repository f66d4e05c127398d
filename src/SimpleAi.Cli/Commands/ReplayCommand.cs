using System.CommandLine;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using SimpleAi.Webhooks.Lifecycle;
using SimpleAi.Webhooks.Operations;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Cli.Commands;

/// <summary>
/// <c>replay --queue &lt;x-poison&gt;</c>: moves poisoned messages back to their queue, on the app's transport (Storage
/// Queues, or Service Bus when <c>SimpleAiServiceBus</c> is set, where <c>&lt;x&gt;/$deadletterqueue</c> works too).
/// </summary>
internal static class ReplayCommand
{
    public static Command Create(CliConsole console)
    {
        var queue = new Option<string>("--queue")
        {
            Description = "The poison queue, e.g. step-crm-sync-poison; on Service Bus also a dead-letter queue, e.g. step-crm-sync/$deadletterqueue.",
            Required = true,
        };
        var max = new Option<int>("--max") { Description = "Move at most this many messages.", DefaultValueFactory = _ => 100 };
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would move, move nothing." };
        var where = new Option<string?>("--where") { Description = "Only messages of one call: call_id=<uuid>." };
        var dropPurged = new Option<bool>("--drop-purged") { Description = "Remove the messages of calls that were purged by retention or erased (replay refuses them)." };
        var settings = CliOptions.Settings();
        var command = new Command("replay", """
            Move messages from a poison queue (or, on Service Bus, a dead-letter queue) back to their queue, body unchanged (the app's poison wrapper is unwrapped). Safe to run twice. A message whose call was purged by retention or erased is refused (it stays; --drop-purged removes it).
            Example: simpleai-webhooks replay --queue step-crm-sync-poison --where call_id=123e4567-e89b-12d3-a456-426614174000
            """)
        {
            queue, max, dryRun, where, dropPurged, settings,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var callId = parse.GetValue(where) is { } filter
                ? filter.StartsWith("call_id=", StringComparison.Ordinal) && filter.Length > 8
                    ? filter[8..]
                    : throw new UsageException($"--where '{filter}' is not call_id=<uuid>")
                : null;
            if (parse.GetValue(max) < 1)
            {
                throw new UsageException("--max must be at least 1");
            }

            var storage = CliSettings.Load(parse.GetValue(settings), console);
            var isDryRun = parse.GetValue(dryRun);
            ReplaySource source;
            try
            {
                source = ReplaySource.Parse(parse.GetValue(queue)!, storage.UsesServiceBus);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--queue {e.Message}");
            }

            var moved = await CliStorage.Call(storage, async () =>
            {
                var bookkeeping = new PoisonBookkeeping(
                    new RunStore(storage.Tables(), storage.Blobs()), TimeProvider.System, NullLogger<PoisonBookkeeping>.Instance);
                var records = new LifecycleRecords(storage.Tables());
                async Task<string?> GoneAsync(ReplayedMessage message, CancellationToken token) =>
                    (await records.GoneAsync(message.CallId!, message.KnownAt(), token))?.ToString();
                var drop = parse.GetValue(dropPurged);
                if (!storage.UsesServiceBus)
                {
                    await RefuseMissingAsync(storage.Queues(), source.Entity, cancellationToken);
                    return await new PoisonReplay(storage.Queues(), bookkeeping)
                        .RunAsync(source.Entity, parse.GetValue(max), isDryRun, callId, cancellationToken, GoneAsync, drop);
                }

                await using var serviceBus = storage.ServiceBus();
                try
                {
                    return await new ServiceBusPoisonReplay(serviceBus, bookkeeping)
                        .RunAsync(source, parse.GetValue(max), isDryRun, callId, cancellationToken, GoneAsync, drop);
                }
                catch (Azure.Messaging.ServiceBus.ServiceBusException e) when (e.Reason == Azure.Messaging.ServiceBus.ServiceBusFailureReason.MessagingEntityNotFound)
                {
                    // Listing the namespace's queues takes the Manage right, which the CLI's identity does not need otherwise.
                    throw new UsageException($"--queue: there is no Service Bus queue '{source.Entity}' (the app's poison queues are step-<name>-poison, events-poison and transcript-fetch-poison)");
                }
            });
            foreach (var message in moved.Where(m => m.Gone is not null))
            {
                console.Out.WriteLine(parse.GetValue(dropPurged)
                    ? $"{(isDryRun ? "would remove" : "removed")} {message.MessageId} (call {message.CallId}): its call was {message.Gone}"
                    : $"refused {message.MessageId} (call {message.CallId}): its call was {message.Gone}; it stays (--drop-purged removes it)");
            }

            var refused = moved.Count(m => m.Gone is not null);
            moved = [.. moved.Where(m => m.Gone is null)];
            foreach (var message in moved)
            {
                console.Out.WriteLine(
                    $"{(isDryRun ? "would move" : "moved")} {message.MessageId} → {message.TargetQueue}{(message.CallId is null ? string.Empty : $" (call {message.CallId})")}{(message.Reason is null ? string.Empty : $"  poisoned because: {message.Reason}")}");
            }

            console.Out.WriteLine($"{(isDryRun ? "would move" : "moved")} {moved.Count} message(s){(refused == 0 ? string.Empty : $", {(parse.GetValue(dropPurged) ? (isDryRun ? "would remove" : "removed") : "refused")} {refused} of purged or erased calls")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// A queue that does not exist (a typo, a step name without its <c>step-</c> prefix) is refused with the poison
    /// queues that do, instead of "moved 0 message(s)": an empty answer must mean an empty queue.
    /// </summary>
    private static async Task RefuseMissingAsync(QueueServiceClient queues, string name, CancellationToken cancellationToken)
    {
        if (await queues.GetQueueClient(name).ExistsAsync(cancellationToken))
        {
            return;
        }

        var poison = new List<string>();
        await foreach (var queue in queues.GetQueuesAsync(cancellationToken: cancellationToken))
        {
            if (queue.Name.EndsWith("-poison", StringComparison.Ordinal))
            {
                poison.Add(queue.Name);
            }
        }

        throw new UsageException(poison.Count == 0
            ? $"--queue: there is no queue '{name}', and no poison queue exists yet (the app creates them at start)"
            : $"--queue: there is no queue '{name}'; the poison queues are: {string.Join(", ", poison.Order(StringComparer.Ordinal))}");
    }
}
