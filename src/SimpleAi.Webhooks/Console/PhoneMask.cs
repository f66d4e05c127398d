namespace SimpleAi.Webhooks.Console;

/// <summary>A phone number shown masked until asked for: <c>+15550123567</c> as <c>+1 555 •••• 567</c>.</summary>
public static class PhoneMask
{
    public static string? Mask(string? number)
    {
        if (string.IsNullOrEmpty(number))
        {
            return number;
        }

        var digits = number.StartsWith('+') ? number[1..] : number;
        if (digits.Length < 7)
        {
            return new string('•', number.Length);
        }

        var country = number.StartsWith("+1", StringComparison.Ordinal) ? "1" : digits[..Math.Min(2, digits.Length - 6)];
        var rest = digits[country.Length..];
        var prefix = number.StartsWith('+') ? "+" + country + " " : string.Empty;
        return $"{prefix}{rest[..3]} •••• {rest[^3..]}";
    }
}
