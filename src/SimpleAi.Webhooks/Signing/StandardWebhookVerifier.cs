using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace SimpleAi.Webhooks.Signing;

/// <summary>
/// Verifies the Standard Webhooks scheme (the one Svix implements): HMAC-SHA256 over
/// <c>{webhook-id}.{webhook-timestamp}.{raw body}</c>, sent as space-separated <c>v1,&lt;base64&gt;</c> entries.
/// Every entry is tried against every configured secret, so secrets can be rotated without downtime.
/// </summary>
/// <remarks>
/// The hot path works on spans and allocates nothing: MACs land in stack buffers, each secret keeps a pre-keyed
/// HMAC instance per thread (they are not thread-safe), and a small signed content is hashed in one native call.
/// </remarks>
public sealed class StandardWebhookVerifier : IWebhookVerifier, IDisposable
{
    private const int MacSize = 32;
    private const int StackPrefixBytes = 256;
    private const int StackMacSecrets = 8;

    private readonly PerThreadHmac[] _keys;
    private readonly TimeProvider _time;
    private readonly long _toleranceSeconds;

    public StandardWebhookVerifier(IEnumerable<WebhookSecret> secrets, TimeSpan tolerance, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentOutOfRangeException.ThrowIfLessThan(tolerance, TimeSpan.Zero);
        _keys = secrets.Select(secret => new PerThreadHmac(secret.Key)).ToArray();
        if (_keys.Length == 0)
        {
            throw new ArgumentException("At least one signing secret is required.", nameof(secrets));
        }

        _toleranceSeconds = (long)tolerance.TotalSeconds;
        _time = time ?? TimeProvider.System;
    }

    public SignatureVerification Verify(ReadOnlySpan<byte> body, Func<string, string?> header) =>
        Verify(body, WebhookHeaders.Read(header));

    public SignatureVerification Verify(ReadOnlySpan<byte> body, in WebhookHeaders headers)
    {
        if (string.IsNullOrEmpty(headers.Id))
        {
            return Missing(WebhookHeaders.IdName);
        }

        if (string.IsNullOrEmpty(headers.Timestamp))
        {
            return Missing(WebhookHeaders.TimestampName);
        }

        if (string.IsNullOrEmpty(headers.Signature))
        {
            return Missing(WebhookHeaders.SignatureName);
        }

        if (!long.TryParse(headers.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return SignatureVerification.Fail(
                SignatureFailure.InvalidTimestamp,
                $"{WebhookHeaders.TimestampName} is not a Unix time in seconds");
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (timestamp < now - _toleranceSeconds)
        {
            return SignatureVerification.Fail(
                SignatureFailure.TimestampExpired,
                $"{WebhookHeaders.TimestampName} is more than {_toleranceSeconds} s in the past");
        }

        if (timestamp > now + _toleranceSeconds)
        {
            return SignatureVerification.Fail(
                SignatureFailure.TimestampInFuture,
                $"{WebhookHeaders.TimestampName} is more than {_toleranceSeconds} s in the future");
        }

        return VerifyMac(body, headers.Id, headers.Timestamp, headers.Signature);
    }

    private SignatureVerification VerifyMac(ReadOnlySpan<byte> body, string id, string timestamp, string signature)
    {
        var prefixLength = Encoding.UTF8.GetMaxByteCount(id.Length) + timestamp.Length + 2;
        byte[]? rentedPrefix = null;
        var prefix = prefixLength <= StackPrefixBytes
            ? stackalloc byte[StackPrefixBytes]
            : rentedPrefix = ArrayPool<byte>.Shared.Rent(prefixLength);
        var macs = _keys.Length <= StackMacSecrets
            ? stackalloc byte[StackMacSecrets * MacSize]
            : new byte[_keys.Length * MacSize];
        try
        {
            var written = WriteSignedPrefix(prefix, id, timestamp);
            for (var i = 0; i < _keys.Length; i++)
            {
                _keys[i].Compute(prefix[..written], body, macs.Slice(i * MacSize, MacSize));
            }

            return MatchEntries(signature, macs[..(_keys.Length * MacSize)]);
        }
        finally
        {
            if (rentedPrefix is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedPrefix);
            }
        }
    }

    private static int WriteSignedPrefix(Span<byte> destination, string id, string timestamp)
    {
        var written = Encoding.UTF8.GetBytes(id, destination);
        destination[written++] = (byte)'.';
        written += Encoding.UTF8.GetBytes(timestamp, destination[written..]);
        destination[written++] = (byte)'.';
        return written;
    }

    private static SignatureVerification MatchEntries(ReadOnlySpan<char> signature, ReadOnlySpan<byte> macs)
    {
        Span<byte> candidate = stackalloc byte[MacSize * 2];
        var sawV1 = false;
        foreach (var range in signature.Split(' '))
        {
            var entry = signature[range];
            if (!entry.StartsWith("v1,", StringComparison.Ordinal))
            {
                continue;
            }

            if (!Convert.TryFromBase64Chars(entry[3..], candidate, out var length) || length != MacSize)
            {
                continue;
            }

            sawV1 = true;
            for (var offset = 0; offset < macs.Length; offset += MacSize)
            {
                if (CryptographicOperations.FixedTimeEquals(macs.Slice(offset, MacSize), candidate[..MacSize]))
                {
                    return SignatureVerification.Valid;
                }
            }
        }

        return sawV1
            ? SignatureVerification.Fail(SignatureFailure.SignatureMismatch, "no signature matches a configured secret")
            : SignatureVerification.Fail(
                SignatureFailure.MalformedSignature,
                $"{WebhookHeaders.SignatureName} holds no 'v1,<base64 HMAC-SHA256>' entry");
    }

    private static SignatureVerification Missing(string header) =>
        SignatureVerification.Fail(SignatureFailure.MissingHeader, $"the {header} header is missing");

    public void Dispose()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }
}
