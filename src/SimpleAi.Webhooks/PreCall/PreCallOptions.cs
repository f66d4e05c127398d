using System.ComponentModel.DataAnnotations;
using SimpleAi.Webhooks.Actions.Transformations;

namespace SimpleAi.Webhooks.PreCall;

/// <summary>Settings of the pre-call caller lookup (section <c>PreCall</c>).</summary>
public sealed class PreCallOptions : IValidatableObject
{
    public const string Section = "PreCall";

    /// <summary>
    /// The token Simple AI sends as <c>Authorization: Bearer …</c>; a Key Vault reference in Azure. Empty, an
    /// unresolved reference or the sample's placeholder: every call is refused (<see cref="PreCallSecrets"/>).
    /// </summary>
    public string BearerToken { get; set; } = string.Empty;

    /// <summary>The country code for numbers written without one.</summary>
    [RegularExpression("^[1-9][0-9]{0,2}$")]
    public string DefaultCountryCode { get; set; } = "1";

    /// <summary>
    /// An optional service asked for more parameters; its answer is merged when it comes in time. Treated as a secret:
    /// only its host is logged; an unresolved reference or a placeholder turns enrichment off.
    /// </summary>
    public Uri? EnrichmentUrl { get; set; }

    /// <summary>The enrichment's time budget, inside <see cref="LookupBudgetMilliseconds"/>.</summary>
    [Range(50, 4000)]
    public int EnrichmentTimeoutMilliseconds { get; set; } = 1500;

    /// <summary>
    /// The whole journey's time budget (the contacts read, the sources, the enrichment, the rules and the
    /// transformation): when it runs out, whatever storage or a source is doing, the answer holds what finished and the
    /// rules over it. Below Simple AI's 5 s wait, so the call gets an answer, not a timeout.
    /// </summary>
    [Range(50, 4500)]
    public int LookupBudgetMilliseconds { get; set; } = 3000;

    /// <summary>The HTTP sources asked at once with the contacts table (<c>PreCall__Sources__0__Url</c>, …).</summary>
    public List<PreCallSourceOptions> Sources { get; set; } = [];

    /// <summary>The computed parameters (<c>PreCall__Rules__0__Parameter</c>, …), in the post-call workflow's rule language.</summary>
    public List<PreCallRule> Rules { get; set; } = [];

    /// <summary>The time zone of the rules' <c>local_hour</c>, <c>local_day</c>…: an IANA id (<c>America/New_York</c>) or <c>UTC</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>An optional JavaScript transformation of the final parameters, relative to workflow.json (see <see cref="PreCallTransform"/>).</summary>
    public string Transform { get; set; } = string.Empty;

    /// <summary>Where <see cref="Transform"/> lives.</summary>
    public string TransformPath(IConfiguration configuration) => TransformationFiles.Resolve(configuration, Transform);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EnrichmentUrl is not null && EnrichmentTimeoutMilliseconds >= LookupBudgetMilliseconds)
        {
            yield return new ValidationResult(
                $"PreCall__EnrichmentTimeoutMilliseconds ({EnrichmentTimeoutMilliseconds}) must be below PreCall__LookupBudgetMilliseconds ({LookupBudgetMilliseconds}): the enrichment runs inside the lookup's budget.",
                [nameof(EnrichmentTimeoutMilliseconds)]);
        }

        if (EnrichmentUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http")))
        {
            yield return new ValidationResult("PreCall__EnrichmentUrl must be an absolute http(s) URL, or empty.", [nameof(EnrichmentUrl)]);
        }
    }
}
