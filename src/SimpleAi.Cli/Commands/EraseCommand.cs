using System.CommandLine;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Lifecycle;
using SimpleAi.Webhooks.PreCall;

namespace SimpleAi.Cli.Commands;

/// <summary>
/// <c>erase --call &lt;id&gt;</c> / <c>erase --caller &lt;number&gt;</c>: deletes a call, or every call of a caller with
/// their contact row, and their poison messages (see <see cref="CallErasure"/>), and writes an audit row that holds no
/// personal data. <c>--dry-run</c> lists what would go.
/// </summary>
internal static class EraseCommand
{
    public static Command Create(CliConsole console, TimeProvider time)
    {
        var call = new Option<string?>("--call") { Description = "A call id: erase that call." };
        var caller = new Option<string?>("--caller") { Description = "A phone number, in any form the pre-call lookup accepts: erase every call of that caller and its contact row." };
        var countryCode = new Option<string>("--country-code") { Description = "Country code for a number written without one.", DefaultValueFactory = _ => "1" };
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would go, delete nothing." };
        var by = new Option<string>("--by") { Description = "Who asks, for the audit (default: the signed-in user's name).", DefaultValueFactory = _ => Environment.UserName };
        var settings = CliOptions.Settings();
        var command = new Command("erase", $"""
            Erase one call, or every call of one caller with its contact row, from every table, blob container and poison queue, and record the erasure in an audit row (table lifecycle) that holds no personal data: when, by whom, the counts, the erased call ids and, for a caller, an HMAC of the number under {CliSettings.AuditKeySetting} (a secret of at least {ErasureAudit.MinKeyBytes} bytes in the settings file or the environment).
            Example: simpleai-webhooks erase --caller "+1 (555) 123-4567" --dry-run
            """)
        {
            call, caller, countryCode, dryRun, by, settings,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (callId, number) = (parse.GetValue(call), parse.GetValue(caller));
            if ((callId is null) == (number is null))
            {
                throw new UsageException("say what to erase: --call <id> or --caller <number> (one of them)");
            }

            var e164 = number is null ? null : PhoneNumbers.ToE164(number, parse.GetValue(countryCode)!)
                ?? throw new UsageException($"--caller: '{number}' is not a phone number (8 to 15 digits, e.g. +15551234567 or (555) 123-4567)");
            if (callId is { Length: 0 })
            {
                throw new UsageException("--call: the call id is empty");
            }

            var storage = CliSettings.Load(parse.GetValue(settings), console);
            var isDryRun = parse.GetValue(dryRun);
            if (e164 is not null && !isDryRun && (storage.AuditKey is not { } key || System.Text.Encoding.UTF8.GetByteCount(key) < ErasureAudit.MinKeyBytes))
            {
                throw new UsageException(
                    $"{CliSettings.AuditKeySetting} is {(storage.AuditKey is null ? "not set" : "too short")}: erasing a caller records a keyed hash of the number, never the number; set it (at least {ErasureAudit.MinKeyBytes} bytes, the same every time, e.g. from Key Vault) in the settings file or the environment");
            }

            var result = await CliStorage.Call(storage, () => Erasure(storage, time).EraseAsync(
                new ErasureRequest(callId, e164, parse.GetValue(by)!, storage.AuditKey, isDryRun), cancellationToken));
            Print(console, result, isDryRun, e164 is not null, storage.UsesServiceBus);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static CallErasure Erasure(CliSettings storage, TimeProvider time)
    {
        var (tables, blobs) = (storage.Tables(), storage.Blobs());
        var purger = new CallPurger(tables, blobs);
        return new CallErasure(tables, new CallIndex(tables, time), purger, new PoisonScrubber(storage.Queues()), new LifecycleRecords(tables), time);
    }

    private static void Print(CliConsole console, ErasureResult result, bool dryRun, bool caller, bool serviceBus)
    {
        var verb = dryRun ? "would erase" : "erased";
        foreach (var call in result.Calls)
        {
            console.Out.WriteLine($"{verb} call {call.CallId}: {call.Rows.Count} row(s), {call.Blobs.Count} blob(s){(result.Live.Contains(call.CallId) ? " (still live)" : string.Empty)}");
        }

        if (caller)
        {
            console.Out.WriteLine(result.Contact ? $"{verb} the caller's contact row" : "the caller has no contact row");
        }

        console.Out.WriteLine($"{(dryRun ? "would remove" : "removed")} {result.PoisonMessages} poison message(s){(serviceBus ? " (Storage poison queues only: Service Bus dead-letter queues are not searched)" : string.Empty)}");
        console.Out.WriteLine($"{verb} {result.Calls.Count} call(s): {result.Rows} row(s), {result.Blobs} blob(s)");
        foreach (var live in result.Live)
        {
            console.Error.WriteLine($"warning: call {live} is still live: events still to come for it bring new data; erase it again once it ended");
        }

        if (result.Audit is { } audit)
        {
            console.Out.WriteLine($"audit {audit.ErasureId} recorded in table lifecycle ({audit.ErasedOn.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, by {audit.ErasedBy}{(audit.NumberHash is { } hash ? ", number hash " + hash : string.Empty)})");
        }
    }
}
