using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
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
        var settings = CliOptions.Settings();
        var command = new Command("replay", """
            Move messages from a poison queue (or, on Service Bus, a dead-letter queue) back to their queue, body unchanged (the app's poison wrapper is unwrapped). Safe to run twice.
            Example: simpleai-webhooks replay --queue step-crm-sync-poison --where call_id=123e4567-e89b-12d3-a456-426614174000
            """)
        {
            queue, max, dryRun, where, settings,
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
                if (!storage.UsesServiceBus)
                {
                    return await new PoisonReplay(storage.Queues(), bookkeeping)
                        .RunAsync(source.Entity, parse.GetValue(max), isDryRun, callId, cancellationToken);
                }

                await using var serviceBus = storage.ServiceBus();
                return await new ServiceBusPoisonReplay(serviceBus, bookkeeping)
                    .RunAsync(source, parse.GetValue(max), isDryRun, callId, cancellationToken);
            });
            foreach (var message in moved)
            {
                console.Out.WriteLine(
                    $"{(isDryRun ? "would move" : "moved")} {message.MessageId} → {message.TargetQueue}{(message.CallId is null ? string.Empty : $" (call {message.CallId})")}{(message.Reason is null ? string.Empty : $"  poisoned because: {message.Reason}")}");
            }

            console.Out.WriteLine($"{(isDryRun ? "would move" : "moved")} {moved.Count} message(s)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
