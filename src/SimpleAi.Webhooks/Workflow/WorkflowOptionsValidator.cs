using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// Refuses to start with a workflow that names an unknown step or field, uses an unknown operator or a bad value,
/// or runs an action step whose endpoint URL or signing secret is missing or malformed.
/// </summary>
public sealed class WorkflowOptionsValidator(IEnumerable<WorkflowStepRegistration> registrations, IConfiguration configuration)
    : IValidateOptions<WorkflowOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkflowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var known = registrations.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in WorkflowRules.Of(options))
        {
            if (!known.TryGetValue(rule.Step, out var registration))
            {
                failures.Add($"Workflow step '{rule.Step}' is unknown (known: {string.Join(", ", known.Keys.Order(StringComparer.Ordinal))}).");
                continue;
            }

            if (!seen.Add(rule.Step))
            {
                failures.Add($"Workflow step '{rule.Step}' appears twice.");
            }

            failures.AddRange(RuleCompiler.Validate(rule));
            if (rule.When.Count > 0 && !seen.Contains(FetchCallStep.Name))
            {
                failures.Add($"Workflow step '{rule.Step}' has conditions on the call, so '{FetchCallStep.Name}' must come before it.");
            }

            if (typeof(ActionStep).IsAssignableFrom(registration.StepType))
            {
                failures.AddRange(ActionEndpointValidation.Problems(configuration, rule.Step));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
