namespace SimpleAi.Webhooks.Hosting;

public static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and checks it (data annotations, and any
    /// <c>IValidateOptions</c> registered) when the app starts, so a bad setting stops the start with its name.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<TOptions>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    /// <summary>As <see cref="AddValidatedOptions{TOptions}"/>, with <typeparamref name="TValidator"/> checking what annotations cannot.</summary>
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services.AddValidatedOptions<TOptions>(configuration, section);
    }
}

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
