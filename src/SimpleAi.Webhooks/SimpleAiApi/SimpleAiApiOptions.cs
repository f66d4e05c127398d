using System.ComponentModel.DataAnnotations;
using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Webhooks.SimpleAiApi;

/// <summary>Settings of the Simple AI REST API client (section <c>SimpleAi</c>).</summary>
public sealed class SimpleAiApiOptions
{
    public const string Section = "SimpleAi";

    [Required]
    public Uri BaseUrl { get; set; } = new("https://api.prod.usesimple.ai/api/v1/");

    /// <summary>The API key: a Key Vault reference in Azure. Never logged. An unresolved reference or the sample's placeholder stops the app.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "SimpleAi__ApiKey is required (the Simple AI API key).")]
    [ResolvedSecret("SimpleAi__ApiKey")]
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>
    /// The scheme put before the key in <c>Authorization</c>; empty sends the raw key (the docs show no scheme),
    /// <c>Bearer</c> sends <c>Bearer &lt;key&gt;</c>.
    /// </summary>
    public string AuthScheme { get; set; } = string.Empty;

    /// <summary>Time allowed for one request; retries (with backoff, honouring Retry-After) come on top.</summary>
    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The longest one call of the client can take, its retries and their waits included (the outer timeout).</summary>
    public TimeSpan WholeRequestTimeout() => TimeSpan.FromSeconds(TimeoutSeconds) * (MaxRetries + 1) + TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many times <c>fetch-call</c> tries a call the API does not know yet (404) or that has not ended, waiting
    /// <see cref="FetchRetryDelaySeconds"/>, then twice that, and so on, before it fails the run.
    /// </summary>
    [Range(1, 20)]
    public int FetchTries { get; set; } = 6;

    [Range(1, 3600)]
    public int FetchRetryDelaySeconds { get; set; } = 15;
}
