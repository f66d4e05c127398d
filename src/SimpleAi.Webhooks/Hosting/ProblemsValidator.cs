namespace SimpleAi.Webhooks.Hosting;

/// <summary>
/// A start-up check of <typeparamref name="TOptions"/> written as the list of what is wrong with them: none, and the
/// options are valid; otherwise the app does not start and says every problem (each names its setting, never a value).
/// </summary>
public abstract class ProblemsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = Problems(options).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>What is wrong with <paramref name="options"/>, each as the message the app stops with.</summary>
    protected abstract IEnumerable<string> Problems(TOptions options);
}
