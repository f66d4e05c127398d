using System.ComponentModel.DataAnnotations;

namespace SimpleAi.Webhooks.Hosting;

/// <summary>
/// Fails validation when the property holds an unresolved Key Vault reference or the sample's placeholder
/// (<see cref="SecretSetting"/>), naming <see cref="Setting"/> and never the value. Empty passes: pair it with
/// <c>[Required]</c> where the secret is required.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ResolvedSecretAttribute(string setting) : ValidationAttribute
{
    /// <summary>The app-setting name, <c>Section__Name</c>.</summary>
    public string Setting { get; } = setting;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        var text = value is Uri uri ? uri.OriginalString : value as string;
        return SecretSetting.Problem(Setting, text) is { } problem
            ? new ValidationResult(problem, validationContext.MemberName is { } member ? [member] : null)
            : ValidationResult.Success;
    }
}
