using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;

namespace SimpleAi.Webhooks.Json;

/// <summary>
/// Escapes only what JSON (RFC 8259, section 7) requires: <c>"</c>, <c>\</c> and the control characters below
/// U+0020. Everything else, <c>+</c>, <c>&lt;</c>, <c>&amp;</c>, accented letters and emoji included, is written as
/// UTF-8. <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> is not enough: it still escapes every character
/// outside the Basic Multilingual Plane (emoji become <c>\uD83D\uDE00</c>). A lone surrogate, which has no UTF-8
/// form, becomes U+FFFD, so the output is always valid UTF-8.
/// </summary>
/// <remarks>
/// Only for bodies that go to a JSON parser (a webhook receiver, an API client), never for JSON embedded in HTML or
/// a script: there <c>&lt;</c> and <c>&amp;</c> must stay escaped.
/// </remarks>
public sealed class MinimalJsonEncoder : JavaScriptEncoder
{
    // What must be escaped, plus the surrogate code units: a pair is copied as UTF-16, a lone one replaced.
    private static readonly SearchValues<char> Attention = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(c => (char)c), '"', '\\', .. Enumerable.Range(0xD800, 0x800).Select(c => (char)c)]);

    private MinimalJsonEncoder()
    {
    }

    public static MinimalJsonEncoder Instance { get; } = new();

    /// <summary>The longest escape is <c>\u001F</c>: six characters for one.</summary>
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => MustEscape(unicodeScalar) || (unicodeScalar is >= 0xD800 and <= 0xDFFF);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        var offset = 0;
        while (true)
        {
            var found = span[offset..].IndexOfAny(Attention);
            if (found < 0)
            {
                return -1;
            }

            var index = offset + found;
            if (char.IsHighSurrogate(span[index]) && index + 1 < span.Length && char.IsLowSurrogate(span[index + 1]))
            {
                offset = index + 2;
                continue;
            }

            return index;
        }
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var destination = new Span<char>(buffer, bufferLength);
        var text = Escape(unicodeScalar);
        if (text is null)
        {
            var rune = Rune.IsValid(unicodeScalar) ? new Rune(unicodeScalar) : Rune.ReplacementChar;
            return rune.TryEncodeToUtf16(destination, out numberOfCharactersWritten);
        }

        if (text.TryCopyTo(destination))
        {
            numberOfCharactersWritten = text.Length;
            return true;
        }

        numberOfCharactersWritten = 0;
        return false;
    }

    private static bool MustEscape(int scalar) => scalar is < 0x20 or '"' or '\\';

    /// <summary>The escape JSON requires for <paramref name="scalar"/>, the short form where JSON has one; else null.</summary>
    private static string? Escape(int scalar) => scalar switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\b' => "\\b",
        '\f' => "\\f",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        < 0x20 => string.Create(CultureInfo.InvariantCulture, $"\\u{scalar:X4}"),
        _ => null,
    };
}

/// <summary>
/// How the app writes JSON that a receiver reads (action documents, Slack and Teams messages, the call.started
/// forward, the pre-call answer): UTF-8 with only the escapes JSON requires (<see cref="MinimalJsonEncoder"/>).
/// </summary>
public static class OutboundJson
{
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = MinimalJsonEncoder.Instance };

    public static JsonSerializerOptions SerializerOptions { get; } = new() { Encoder = MinimalJsonEncoder.Instance };
}
