using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace SimpleAi.Webhooks.Hosting;

/// <summary>
/// Where in <c>workflow.json</c> a problem of a workflow step is written: the line that names the step, or the line of
/// the condition's field. Steps set elsewhere (the environment, app settings) have no line and keep their problem as it is.
/// </summary>
internal sealed partial class WorkflowLocations(string path, string[] lines)
{
    /// <summary>The workflow file every host adds to its configuration.</summary>
    public const string FileName = "workflow.json";

    /// <summary>The full path of the <c>workflow.json</c> the configuration reads, or null when it reads none.</summary>
    public static string? PathOf(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var source = (configuration as IConfigurationRoot)?.Providers
            .OfType<JsonConfigurationProvider>()
            .Select(p => p.Source)
            .FirstOrDefault(s => string.Equals(Path.GetFileName(s.Path), FileName, StringComparison.Ordinal));
        return source?.FileProvider is PhysicalFileProvider files ? Path.GetFullPath(Path.Combine(files.Root, source.Path!)) : null;
    }

    public static WorkflowLocations? Of(IConfiguration configuration)
    {
        try
        {
            return PathOf(configuration) is { } path && File.Exists(path) ? new WorkflowLocations(path, File.ReadAllLines(path)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary><paramref name="problem"/> with <c>file:line: </c> before it when it is a step's and the file names the step; else null.</summary>
    public string? Locate(string problem)
    {
        var step = StepProblem().Match(problem);
        if (!step.Success)
        {
            return null;
        }

        var stepLine = Array.FindIndex(lines, l => StepName().Match(l) is { Success: true } m && m.Groups["step"].Value == step.Groups["step"].Value);
        if (stepLine < 0)
        {
            return null;
        }

        var line = stepLine;
        if (step.Groups["condition"].Success)
        {
            for (var i = stepLine; i < lines.Length && (i == stepLine || !StepName().IsMatch(lines[i])); i++)
            {
                if (FieldName().Matches(lines[i]).Any(f => step.Groups["condition"].Value.StartsWith(f.Groups["field"].Value + " ", StringComparison.Ordinal)))
                {
                    line = i;
                    break;
                }
            }
        }

        return $"{ConfigurationErrors.DisplayPath(path)}:{line + 1}: {problem}";
    }

    [GeneratedRegex("^Workflow step '(?<step>[^']*)'(, condition '(?<condition>[^']*)')?")]
    private static partial Regex StepProblem();

    [GeneratedRegex("\"Step\"\\s*:\\s*\"(?<step>[^\"]*)\"")]
    private static partial Regex StepName();

    [GeneratedRegex("\"Field\"\\s*:\\s*\"(?<field>[^\"]*)\"")]
    private static partial Regex FieldName();
}
