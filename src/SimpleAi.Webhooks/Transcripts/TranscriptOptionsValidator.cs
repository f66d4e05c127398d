using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Rules;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Transcripts;

/// <summary>
/// Refuses to start with a keyword trigger that has no name, nothing to match, a bad pattern, an unknown step, or a step
/// whose feature's own check fails (an action step without a usable endpoint, for example).
/// </summary>
public sealed class TranscriptOptionsValidator(WorkflowContributions workflow) : ProblemsValidator<TranscriptOptions>
{
    protected override IEnumerable<string> Problems(TranscriptOptions options)
    {
        var problems = options.Triggers.SelectMany(ProblemsOf);
        return options.Triggers.GroupBy(t => t.Name).Any(g => g.Count() > 1)
            ? problems.Append("Transcripts trigger names must be unique.")
            : problems;
    }

    private IEnumerable<string> ProblemsOf(KeywordTrigger trigger)
    {
        var where = $"Transcripts trigger '{trigger.Name}'";
        if (string.IsNullOrWhiteSpace(trigger.Name) || trigger.Name.Contains(':', StringComparison.Ordinal))
        {
            yield return $"{where}: a Name (without ':') is required.";
        }

        if (trigger.Phrases.Count == 0 && trigger.Pattern is null)
        {
            yield return $"{where}: give Phrases or a Pattern.";
        }

        if (trigger.Pattern is not null && RuleCompiler.RegexProblem(trigger.Pattern) is not null)
        {
            yield return $"{where}: Pattern is not a valid regular expression.";
        }

        if (!workflow.Steps.TryGetValue(trigger.Step, out var step))
        {
            yield return $"{where}: step '{trigger.Step}' is unknown.";
            yield break;
        }

        foreach (var problem in workflow.Problems(step))
        {
            yield return problem;
        }
    }
}
