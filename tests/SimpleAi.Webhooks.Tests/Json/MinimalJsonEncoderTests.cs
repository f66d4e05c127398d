using System.Text.Encodings.Web;
using SimpleAi.Webhooks.Json;

namespace SimpleAi.Webhooks.Tests.Json;

/// <summary>The encoder every outbound body uses: only RFC 8259's required escapes, always valid UTF-8.</summary>
public sealed class MinimalJsonEncoderTests
{
    // Decoding throws on invalid UTF-8, so every assertion on a decoded string also checks the bytes are valid.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string Written(string value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, OutboundJson.WriterOptions))
        {
            writer.WriteStringValue(value);
        }

        return StrictUtf8.GetString(buffer.ToArray());
    }

    private static byte[] WrittenUtf8(byte[] value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, OutboundJson.WriterOptions))
        {
            writer.WriteStringValue(value);
        }

        return buffer.ToArray();
    }

    [Fact]
    public void UnsafeRelaxedJsonEscaping_StillEscapesEmoji()
    {
        // Why the app has its own encoder: the framework's most relaxed one escapes everything outside the BMP.
        var json = JsonSerializer.Serialize("📞", new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        Assert.Equal("\"\\uD83D\\uDCDE\"", json);
    }

    [Theory]
    [InlineData("+15551234567", "\"+15551234567\"")]
    [InlineData("Zoë é ñ 日本 ☕", "\"Zoë é ñ 日本 ☕\"")]
    [InlineData("📞😀 and 👩‍👩‍👧", "\"📞😀 and 👩‍👩‍👧\"")]
    [InlineData("<a href='x'>&amp;</a> / `", "\"<a href='x'>&amp;</a> / `\"")]
    [InlineData("say \"hi\"\\", "\"say \\\"hi\\\"\\\\\"")]
    [InlineData("a\tb\nc\rd\be\ff", "\"a\\tb\\nc\\rd\\be\\ff\"")]
    [InlineData("\u0000\u0001\u001f\u007f\u2028", "\"\\u0000\\u0001\\u001F\u007f\u2028\"")]
    [InlineData("a long ASCII run of more than sixteen characters, then é and 😀 and \"", "\"a long ASCII run of more than sixteen characters, then é and 😀 and \\\"\"")]
    public void Strings_AreEscapedOnlyWhereJsonRequires(string value, string expected)
    {
        Assert.Equal(expected, Written(value));
        Assert.Equal(expected, StrictUtf8.GetString(WrittenUtf8(Encoding.UTF8.GetBytes(value))));
    }

    [Fact]
    public void EveryControlCharacter_IsEscapedAndReadsBack()
    {
        var value = new string([.. Enumerable.Range(0, 0x20).Select(c => (char)c)]);

        var json = Written(value);

        Assert.DoesNotContain(json, c => c < 0x20);
        Assert.Equal(value, JsonDocument.Parse(json).RootElement.GetString());
    }

    // The surrogate is passed as a number: xUnit cannot carry a lone surrogate in a string argument.
    [Theory]
    [InlineData("a", 0xD800, "b")]
    [InlineData("a", 0xDC00, "b")]
    [InlineData("end", 0xD83D, "")]
    [InlineData("", 0xDE00, "start")]
    public void LoneSurrogate_BecomesTheReplacementCharacter(string before, int surrogate, string after)
    {
        var json = Written(before + (char)surrogate + after);

        Assert.Equal($"\"{before}\uFFFD{after}\"", json);
    }

    [Fact]
    public void InvalidUtf8_BecomesTheReplacementCharacter()
    {
        byte[] value = [(byte)'a', 0xC3, (byte)'b', 0xFF, (byte)'c'];

        var json = WrittenUtf8(value);

        Assert.Equal("\"a\uFFFDb\uFFFDc\"", StrictUtf8.GetString(json));
    }

    [Fact]
    public void PropertyNames_AreEscapedTheSameWay()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, OutboundJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("prénom+😀", "Zoë");
            writer.WriteEndObject();
        }

        Assert.Equal("{\"prénom+😀\":\"Zoë\"}", StrictUtf8.GetString(buffer.ToArray()));
    }
}
