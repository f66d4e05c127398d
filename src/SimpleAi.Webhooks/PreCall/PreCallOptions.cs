using System.ComponentModel.DataAnnotations;

namespace SimpleAi.Webhooks.PreCall;

/// <summary>Settings of the pre-call caller lookup (section <c>PreCall</c>).</summary>
public sealed class PreCallOptions
{
    public const string Section = "PreCall";

    /// <summary>The token Simple AI sends as <c>Authorization: Bearer …</c>; a Key Vault reference in Azure. Empty: every call is refused.</summary>
    public string BearerToken { get; set; } = string.Empty;

    /// <summary>The country code for numbers written without one.</summary>
    [RegularExpression("^[1-9][0-9]{0,2}$")]
    public string DefaultCountryCode { get; set; } = "1";

    /// <summary>An optional service asked for more parameters; its answer is merged when it comes in time.</summary>
    public Uri? EnrichmentUrl { get; set; }

    /// <summary>The enrichment's time budget: the whole answer must stay far under Simple AI's 5 s.</summary>
    [Range(50, 4000)]
    public int EnrichmentTimeoutMilliseconds { get; set; } = 1500;
}
