using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace SimpleAi.Webhooks.Hosting;

/// <summary>
/// What a person reads when the app, the local host or the CLI cannot start because of its configuration: one
/// <c>Configuration error</c> list, each problem once, each setting under the name the user sets
/// (<c>SimpleAi__ApiKey</c>, not <c>SimpleAi:ApiKey</c> or a bare member name), each problem of a JSON file with the file
/// and its line (1-based), and no stack trace. Every host exits with <see cref="ExitCode"/> after printing it.
/// </summary>
public static partial class ConfigurationErrors
{
    /// <summary>The exit code of a start refused for its configuration: 78, <c>EX_CONFIG</c> in BSD's <c>sysexits.h</c>.</summary>
    public const int ExitCode = 78;

    /// <summary>The first line of the list.</summary>
    public const string Title = "Configuration error";

    /// <summary>
    /// True when <paramref name="exception"/> is about the configuration: options that failed their start-up check, a
    /// configuration file that could not be read (<c>workflow.json</c>, <c>local.settings.json</c>), or several of these
    /// together.
    /// </summary>
    public static bool IsConfigurationError(Exception exception) => exception switch
    {
        OptionsValidationException => true,
        InvalidDataException e => FileOf(e) is not null,
        AggregateException e => e.InnerExceptions.Count > 0 && e.InnerExceptions.All(IsConfigurationError),
        _ => false,
    };

    /// <summary>
    /// Every problem <paramref name="exception"/> reports, in the words a person acts on, each once. With
    /// <paramref name="configuration"/>, a problem of a workflow step also says where <c>workflow.json</c> names the step.
    /// </summary>
    public static IReadOnlyList<string> Problems(Exception exception, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var workflow = configuration is null ? null : WorkflowLocations.Of(configuration);
        return [.. Collect(exception).Select(p => workflow?.Locate(p) ?? p).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The list as printed: the title, then one line per problem.</summary>
    public static string Format(IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Title}: nothing was started; fix {(problems.Count == 1 ? "this" : $"these {problems.Count}")} and start again.");
        text.AppendLine();
        foreach (var problem in problems)
        {
            text.Append("  - ").AppendLine(problem);
        }

        return text.ToString();
    }

    /// <summary>
    /// The path a person edits, as they see it from the repository: relative to the folder that holds
    /// <c>SimpleAi.Functions.sln</c> when <paramref name="path"/> is inside it, else the full path.
    /// </summary>
    public static string DisplayPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        for (var dir = Path.GetDirectoryName(full); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "SimpleAi.Functions.sln")))
            {
                return Path.GetRelativePath(dir, full).Replace(Path.DirectorySeparatorChar, '/');
            }
        }

        return full;
    }

    private static IEnumerable<string> Collect(Exception exception) => exception switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Collect),
        OptionsValidationException options => options.Failures.Select(f => Named(options.OptionsType, f)),
        InvalidDataException file when FileOf(file) is { } path => [FileProblem(path, file.InnerException)],
        _ => [exception.Message],
    };

    /// <summary>A data annotation's failure under the setting's name (<c>Section__Member</c>) instead of the class's.</summary>
    private static string Named(Type optionsType, string failure)
    {
        var match = DataAnnotationFailure().Match(failure);
        if (!match.Success)
        {
            return failure;
        }

        var section = optionsType.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string;
        var members = match.Groups["members"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var error = match.Groups["error"].Value;
        foreach (var member in members)
        {
            var setting = section is null ? member : $"{section}__{member.Replace(".", "__", StringComparison.Ordinal)}";
            // The attributes' default messages: "The field X must be …", "The X field is required."
            error = error.Replace($"The field {member} ", $"{setting} ", StringComparison.Ordinal)
                .Replace($"The {member} field ", $"{setting} ", StringComparison.Ordinal);
            if (!error.Contains(setting, StringComparison.Ordinal))
            {
                error = $"{setting}: {error}";
            }
        }

        return error.EndsWith('.') ? error : error + ".";
    }

    private static string FileProblem(string path, Exception? cause)
    {
        var where = DisplayPath(path);
        for (var inner = cause; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                var line = json.LineNumber is { } zeroBasedLine ? $":{zeroBasedLine + 1}" : string.Empty;
                var column = json.LineNumber is not null && json.BytePositionInLine is { } zeroBasedColumn ? $":{zeroBasedColumn + 1}" : string.Empty;
                var message = JsonPosition().Replace(json.Message, string.Empty).Trim();
                return $"{where}{line}{column}: not valid JSON: {message}";
            }
        }

        return $"{where}: {cause?.Message ?? "could not be read"}";
    }

    /// <summary>The file of a configuration provider's "Failed to load configuration from file '…'." error.</summary>
    private static string? FileOf(InvalidDataException exception)
    {
        var match = FailedToLoad().Match(exception.Message);
        return match.Success ? match.Groups["path"].Value : null;
    }

    [GeneratedRegex(@"^DataAnnotation validation failed for '(?<type>[^']*)' members: '(?<members>[^']*)' with the error: '(?<error>.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();

    [GeneratedRegex(@"\s*(Path: \S*\s*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?")]
    private static partial Regex JsonPosition();

    [GeneratedRegex("^Failed to load configuration from file '(?<path>.+)'\\.$")]
    private static partial Regex FailedToLoad();
}
