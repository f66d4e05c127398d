using System.Text.RegularExpressions;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Rules;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Webhooks.PreCall;

/// <summary>
/// Refuses to start with a pre-call journey that could not work: a source without a name, a valid URL or a
/// <c>whsec_</c> secret, or with a timeout outside the budget; a rule that can never be evaluated (an unknown field or
/// source, an unknown operator, a bad value, no parameter or value); an unknown time zone; a transformation that does
/// not load. Each problem names its setting as the user writes it (<c>PreCall__Sources__0__Url</c>), never a value.
/// A source whose URL or secret is an unresolved Key Vault reference is left alone here (<see cref="PreCallSecrets"/>
/// reports it and the journey skips it): the pre-call hook never stops the app for a lost secret.
/// </summary>
public sealed partial class PreCallOptionsValidator(IConfiguration configuration) : ProblemsValidator<PreCallOptions>
{
    protected override IEnumerable<string> Problems(PreCallOptions options)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Sources.Count; i++)
        {
            foreach (var problem in SourceProblems(i, options.Sources[i], options, names))
            {
                yield return problem;
            }
        }

        var fields = PreCallFields.For(options.Sources.Select(s => s.Name));
        for (var i = 0; i < options.Rules.Count; i++)
        {
            foreach (var problem in RuleProblems(i, options.Rules[i], fields))
            {
                yield return problem;
            }
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
        {
            yield return $"PreCall__TimeZone: '{options.TimeZone}' is not a time zone this machine knows (use an IANA id such as America/New_York, or UTC).";
        }

        if (!string.IsNullOrWhiteSpace(options.Transform))
        {
            if (!PreCallTransform.TryLoad(options.TransformPath(configuration), options.Transform, out _, out var problem))
            {
                yield return $"PreCall__Transform: {problem}.";
            }

            if (options.LookupBudgetMilliseconds <= 2 * PreCallTransform.TimeLimit.TotalMilliseconds)
            {
                yield return $"PreCall__LookupBudgetMilliseconds ({options.LookupBudgetMilliseconds}) must be above {2 * PreCallTransform.TimeLimit.TotalMilliseconds} with a transformation: it keeps {PreCallTransform.TimeLimit.TotalMilliseconds} ms of the budget.";
            }
        }
    }

    private static IEnumerable<string> SourceProblems(int index, PreCallSourceOptions source, PreCallOptions options, HashSet<string> names)
    {
        string Setting(string name) => PreCallSourceOptions.SettingName(index, name);
        if (!SourceName().IsMatch(source.Name))
        {
            yield return $"{Setting("Name")} must be set: lower-case letters, digits and _, starting with a letter (it prefixes the source's fields: crm:plan).";
        }
        else if (source.Name == SourceOutcome.ContactSource || !names.Add(source.Name))
        {
            yield return $"{Setting("Name")} '{source.Name}' is {(source.Name == SourceOutcome.ContactSource ? "the contacts table's" : "another source's")} name: give each source its own.";
        }

        if (!source.Unavailable)
        {
            if (source.Url is not { IsAbsoluteUri: true, Scheme: "https" or "http" })
            {
                yield return $"{Setting("Url")} must be an absolute http(s) URL.";
            }

            if (!WebhookSecret.TryParse(source.Secret, out _, out var error))
            {
                yield return $"{Setting("Secret")}: {error} (a whsec_ secret signs the request; the source verifies it).";
            }
        }

        if (source.TimeoutMilliseconds < 50 || source.TimeoutMilliseconds > options.LookupBudgetMilliseconds)
        {
            yield return $"{Setting("TimeoutMilliseconds")} ({source.TimeoutMilliseconds}) must be from 50 to PreCall__LookupBudgetMilliseconds ({options.LookupBudgetMilliseconds}).";
        }

        if (!PreCallSourceOptions.SendChoices.Contains(source.Send))
        {
            yield return $"{Setting("Send")} must be one of: {string.Join(", ", PreCallSourceOptions.SendChoices)}.";
        }

        foreach (var (parameter, field) in source.Parameters)
        {
            if (!ParameterName().IsMatch(parameter) || string.IsNullOrWhiteSpace(field))
            {
                yield return $"{Setting("Parameters")}__{parameter} must name a field of the answer, under a parameter name of letters, digits and _.";
            }
        }
    }

    private static IEnumerable<string> RuleProblems(int index, PreCallRule rule, IReadOnlyCollection<RuleFields> fields)
    {
        if (!ParameterName().IsMatch(rule.Parameter))
        {
            yield return $"PreCall__Rules__{index}__Parameter must be set: letters, digits and _, starting with a letter or _.";
        }

        if (rule.Value is null)
        {
            yield return $"PreCall__Rules__{index}__Value must be set: the parameter's value when the rule holds.";
        }

        foreach (var problem in RuleCompiler.Validate(PreCallRule.Label(index, rule.Parameter), rule.When, fields))
        {
            yield return problem;
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,31}$")]
    private static partial Regex SourceName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex ParameterName();
}
