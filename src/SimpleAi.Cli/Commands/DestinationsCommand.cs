using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Destinations;
using Spectre.Console;

namespace SimpleAi.Cli.Commands;

/// <summary>
/// <c>destinations</c>: each outbound destination's state (table <c>destinations</c>); <c>destinations pause &lt;name&gt;</c>
/// and <c>destinations resume &lt;name&gt;</c> for an operator. A destination has a row once an app instance delivered to
/// it; a built-in action step may be paused before that.
/// </summary>
internal static class DestinationsCommand
{
    public static Command Create(CliConsole console, TimeProvider time)
    {
        var json = new Option<bool>("--json") { Description = "Print the destinations as JSON." };
        var settings = CliOptions.Settings();
        var command = new Command("destinations", """
            List each outbound destination (action step): active or paused, since when and by what (failures or an operator), its failure streak, next probe, last success (recorded at most once a minute) and last error (said as past once a success ended it). A paused destination's deliveries wait without spending their retries; one probe at a time checks for recovery and a 2xx resumes it.
            Example: simpleai-webhooks destinations --json
            """)
        {
            json, settings, Pause(console, time), Resume(console, time),
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = CliSettings.Load(parse.GetValue(settings), console);
            var states = await CliStorage.Call(storage, () => Gate(storage, time).ListAsync(cancellationToken));
            if (parse.GetValue(json))
            {
                console.Out.WriteLine(CliJson.Serialize(states.Select(ToJson)));
            }
            else
            {
                Print(console, states);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Pause(CliConsole console, TimeProvider time)
    {
        var name = new Argument<string>("name") { Description = "The destination: an action step name, e.g. crm-sync." };
        var reason = new Option<string>("--reason") { Description = "Why, shown by 'destinations' and logged.", DefaultValueFactory = _ => "no reason given" };
        var settings = CliOptions.Settings();
        var command = new Command("pause", $"""
            Pause a destination: its deliveries wait (without spending their retries) and no probe runs until 'destinations resume'. Every app instance sees it within {DestinationGate.CacheTime.TotalSeconds:0} s.
            Example: simpleai-webhooks destinations pause crm-sync --reason "CRM maintenance until 14:00"
            """)
        {
            name, reason, settings,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = CliSettings.Load(parse.GetValue(settings), console);
            var gate = Gate(storage, time);
            var (destination, _) = await CliStorage.Call(storage, () => KnownAsync(gate, parse.GetValue(name)!, cancellationToken));
            await CliStorage.Call(storage, async () =>
            {
                await gate.PauseAsync(destination, parse.GetValue(reason)!, cancellationToken);
                return 0;
            });
            console.Out.WriteLine(
                $"paused {destination}: its deliveries wait until 'simpleai-webhooks destinations resume {destination}' (every app instance sees it within {DestinationGate.CacheTime.TotalSeconds:0} s)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Resume(CliConsole console, TimeProvider time)
    {
        var name = new Argument<string>("name") { Description = "The destination: an action step name, e.g. crm-sync." };
        var settings = CliOptions.Settings();
        var command = new Command("resume", """
            Resume a paused destination (whoever paused it): its waiting deliveries go out as each asks again (within Destinations__RecheckSeconds).
            Example: simpleai-webhooks destinations resume crm-sync
            """)
        {
            name, settings,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = CliSettings.Load(parse.GetValue(settings), console);
            var gate = Gate(storage, time);
            var (destination, state) = await CliStorage.Call(storage, () => KnownAsync(gate, parse.GetValue(name)!, cancellationToken));
            await CliStorage.Call(storage, async () =>
            {
                await gate.ResumeAsync(destination, cancellationToken);
                return 0;
            });
            console.Out.WriteLine(state is { IsPaused: true } ? $"resumed {destination}" : $"{destination} is not paused: nothing to resume");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The destination named and its row (null when it has none yet), when it has a row or is a built-in action step;
    /// otherwise a usage error listing the known ones.
    /// </summary>
    private static async Task<(string Name, DestinationState? State)> KnownAsync(DestinationGate gate, string name, CancellationToken cancellationToken)
    {
        var states = await gate.ListAsync(cancellationToken);
        var known = states.Select(s => s.Name).Union(ActionStep.BuiltIn).Order(StringComparer.Ordinal).ToList();
        return known.Contains(name, StringComparer.Ordinal)
            ? (name, states.FirstOrDefault(s => s.Name == name))
            : throw new UsageException($"unknown destination '{name}' (known: {string.Join(", ", known)}); a custom action step is known once the app delivered to it");
    }

    private static DestinationGate Gate(CliSettings storage, TimeProvider time) =>
        new(storage.Tables(), Options.Create(new DestinationOptions()), time, NullLogger<DestinationGate>.Instance);

    private static void Print(CliConsole console, IReadOnlyList<DestinationState> states)
    {
        if (states.Count == 0)
        {
            console.Out.WriteLine("no destinations yet (a destination is listed once the app delivered to it)");
            return;
        }

        var grid = CliTerminal.Grid(
            CliTerminal.Column(), CliTerminal.Column(), CliTerminal.Column(), CliTerminal.Column(), CliTerminal.Column(justify: Justify.Right), CliTerminal.Column(), CliTerminal.Column(), CliTerminal.Column())
            .Row("destination", "state", "since", "by", "streak", "next probe", "last success", "last error / reason");
        foreach (var state in states)
        {
            grid.Row(
                state.Name,
                Status(state),
                CliTerminal.Time(state.PausedAt),
                By(state) ?? "-",
                state.FailureStreak.ToString(CultureInfo.InvariantCulture),
                CliTerminal.Time(state.NextProbeAt),
                CliTerminal.Time(state.LastSuccessAt),
                Note(state));
        }

        console.RichOut().Write(grid);
    }

    /// <summary>The operator's reason, the current error, or an error a success has ended, said as past.</summary>
    private static string Note(DestinationState state) => state switch
    {
        { PausedBy: DestinationPausedBy.Operator } => state.PauseReason ?? "-",
        { HasRecovered: true } => $"recovered from: {state.LastError} ({CliTerminal.Time(state.LastFailureAt)})",
        _ => state.LastError ?? "-",
    };

    private static object ToJson(DestinationState state) => new
    {
        Destination = state.Name,
        State = Status(state),
        PausedBy = By(state),
        state.PausedAt,
        state.PauseReason,
        state.FailureStreak,
        state.LastError,
        state.LastFailureAt,
        state.LastSuccessAt,
        state.NextProbeAt,
        state.ProbeClaimedBy,
        state.ProbeClaimedAt,
    };

    private static string Status(DestinationState state) => state.IsPaused ? "paused" : "active";

    private static string? By(DestinationState state) => state.PausedBy switch
    {
        DestinationPausedBy.Failures => "failures",
        DestinationPausedBy.Operator => "operator",
        _ => null,
    };
}
