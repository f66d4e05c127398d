using System.Globalization;
using Spectre.Console;

namespace SimpleAi.Cli;

/// <summary>Spectre.Console over one of the CLI's writers.</summary>
internal static class CliTerminal
{
    /// <summary>The width when not a terminal: wide enough that no row wraps, so one record stays one line for grep.</summary>
    public const int RedirectedWidth = 4096;

    /// <summary>
    /// On a terminal: ANSI, colours, its width and live progress as detected. Otherwise plain text without escape codes
    /// or cursor moves (Spectre's progress then prints a line at milestones instead of redrawing a bar).
    /// </summary>
    public static IAnsiConsole Over(TextWriter writer, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }

    /// <summary>A grid of the given columns: plain text, never wrapped, two spaces between columns.</summary>
    public static Grid Grid(params GridColumn[] columns) => new Grid().AddColumns(columns);

    /// <summary>A column indented by <paramref name="indent"/> spaces, right-aligned for numbers.</summary>
    public static GridColumn Column(int indent = 0, Justify justify = Justify.Left) =>
        new GridColumn { Alignment = justify }.PadLeft(indent).PadRight(2).NoWrap();

    /// <summary>Adds a row of plain-text cells (never parsed as markup: an error may hold brackets).</summary>
    public static Grid Row(this Grid grid, params string?[] cells) => grid.AddRow([.. cells.Select(c => new Text(c ?? string.Empty))]);

    /// <summary>A time as the CLI's tables show it (UTC as stored, to the second), or <c>-</c>.</summary>
    public static string Time(DateTimeOffset? time) => time?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";
}
