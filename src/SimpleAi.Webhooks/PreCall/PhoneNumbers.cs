namespace SimpleAi.Webhooks.PreCall;

/// <summary>E.164 normalisation of phone numbers as people and systems write them.</summary>
public static class PhoneNumbers
{
    /// <summary>
    /// <c>+1 (555) 123-4567</c>, <c>001 555 123 4567</c> and, with country code 1, <c>555.123.4567</c> all become
    /// <c>+15551234567</c>. Null when the text is not a plausible number (8 to 15 digits after the country code's +).
    /// </summary>
    public static string? ToE164(string? text, string defaultCountryCode = "1")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        var international = trimmed.StartsWith('+') || trimmed.StartsWith("00", StringComparison.Ordinal);
        Span<char> digits = stackalloc char[Math.Min(trimmed.Length, 32)];
        var count = 0;
        foreach (var c in trimmed.StartsWith("00", StringComparison.Ordinal) ? trimmed.AsSpan(2) : trimmed.AsSpan())
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length)
                {
                    return null;
                }

                digits[count++] = c;
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')' or '+' or '/'))
            {
                return null;
            }
        }

        var number = new string(digits[..count]);
        if (!international)
        {
            number = number.Length == 10 && defaultCountryCode == "1" ? "1" + number
                : number.StartsWith(defaultCountryCode, StringComparison.Ordinal) && number.Length > 10 ? number
                : defaultCountryCode + number.TrimStart('0');
        }

        return number.Length is >= 8 and <= 15 && number[0] != '0' ? "+" + number : null;
    }
}
