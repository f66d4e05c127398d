using SimpleAi.Webhooks.Rules;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Transcripts;

/// <summary>
/// Refuses to start with a keyword trigger that has no name, nothing to match, a bad pattern, an unknown step, or a step
/// whose feature's own check fails (an action step without a usable endpoint, for example).
/// </summary>
public sealed class TranscriptOptionsValidator(WorkflowContributions workflow) : IValidateOptions<TranscriptOptions>
{
    public ValidateOptionsResult Validate(string? name, TranscriptOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var trigger in options.Triggers)
        {
            var where = $"Transcripts trigger '{trigger.Name}'";
            if (string.IsNullOrWhiteSpace(trigger.Name) || trigger.Name.Contains(':', StringComparison.Ordinal))
            {
                failures.Add($"{where}: a Name (without ':') is required.");
            }

            if (trigger.Phrases.Count == 0 && trigger.Pattern is null)
            {
                failures.Add($"{where}: give Phrases or a Pattern.");
            }

            if (trigger.Pattern is not null && RuleCompiler.RegexProblem(trigger.Pattern) is not null)
            {
                failures.Add($"{where}: Pattern is not a valid regular expression.");
            }

            if (!workflow.Steps.TryGetValue(trigger.Step, out var step))
            {
                failures.Add($"{where}: step '{trigger.Step}' is unknown.");
            }
            else
            {
                failures.AddRange(workflow.Problems(step));
            }
        }

        if (options.Triggers.GroupBy(t => t.Name).Any(g => g.Count() > 1))
        {
            failures.Add("Transcripts trigger names must be unique.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
