namespace SimpleAi.Webhooks.Calls;

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

    /// <summary>A number as shown to a person who has not asked to see it: the country code's start and the last two digits (<c>+1•••••••67</c>).</summary>
    public static string Mask(string? number)
    {
        if (string.IsNullOrEmpty(number))
        {
            return "(no number)";
        }

        var keep = Math.Min(2, number.Length / 4);
        var head = number.StartsWith('+') ? 2 : 0;
        return number[..Math.Min(head, number.Length)] + new string('•', Math.Max(0, number.Length - head - keep)) + number[^keep..];
    }
}
