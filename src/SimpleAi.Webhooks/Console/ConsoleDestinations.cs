using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Destinations;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Console;

/// <summary>
/// The Destinations view on <see cref="DestinationGate"/> (as <c>simpleai-webhooks destinations</c>): every destination
/// with a row, and every action step of the workflow (active until it has one); pause with a reason and resume, each
/// logged with who did it.
/// </summary>
public sealed partial class ConsoleDestinations(DestinationGate gate, WorkflowDefinition workflow, IConfiguration configuration, ILogger<ConsoleDestinations> logger)
{
    public async Task<IReadOnlyList<DestinationView>> ListAsync(CancellationToken cancellationToken)
    {
        var states = (await gate.ListAsync(cancellationToken)).ToDictionary(s => s.Name, StringComparer.Ordinal);
        return [.. Known(states.Keys).Select(name => DestinationView.Of(
            states.GetValueOrDefault(name) ?? DestinationState.New(name), MaxPerSecondOf(name), HostOf(name)))];
    }

    /// <summary>Pauses a known destination; false for a name that is not one.</summary>
    public async Task<bool> PauseAsync(string name, string reason, string who, CancellationToken cancellationToken)
    {
        if (!await KnownAsync(name, cancellationToken))
        {
            return false;
        }

        await gate.PauseAsync(name, reason, cancellationToken);
        Paused(logger, who, name, reason);
        return true;
    }

    /// <summary>Resumes a known destination; false for a name that is not one.</summary>
    public async Task<bool> ResumeAsync(string name, string who, CancellationToken cancellationToken)
    {
        if (!await KnownAsync(name, cancellationToken))
        {
            return false;
        }

        await gate.ResumeAsync(name, cancellationToken);
        Resumed(logger, who, name);
        return true;
    }

    private async Task<bool> KnownAsync(string name, CancellationToken cancellationToken) =>
        Known((await gate.ListAsync(cancellationToken)).Select(s => s.Name)).Contains(name, StringComparer.Ordinal);

    /// <summary>Destinations with a row, the workflow's action steps (those with a URL) and the built-in ones it names.</summary>
    private IEnumerable<string> Known(IEnumerable<string> withRows) =>
        withRows.Union(workflow.Steps.Select(s => s.Name).Where(s => ActionStep.BuiltIn.Contains(s) || HostOf(s) is not null), StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

    private double? MaxPerSecondOf(string name) =>
        double.TryParse(configuration[$"{ActionEndpointOptions.SectionOf(name)}:MaxPerSecond"], NumberStyles.Float, CultureInfo.InvariantCulture, out var limit) ? limit : null;

    private string? HostOf(string name) =>
        Uri.TryCreate(configuration[$"{ActionEndpointOptions.SectionOf(name)}:Url"], UriKind.Absolute, out var url) ? url.Authority : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console: {Who} paused destination {Destination}: {Reason}")]
    private static partial void Paused(ILogger logger, string who, string destination, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console: {Who} resumed destination {Destination}")]
    private static partial void Resumed(ILogger logger, string who, string destination);
}
