using System.Security.Cryptography;

namespace SimpleAi.Webhooks.Signing;

/// <summary>
/// Pre-keyed HMAC-SHA256 instances for one secret, one per thread. Keying costs about as much as hashing a small
/// body, and an <see cref="IncrementalHash"/> is reusable after <c>GetHashAndReset</c> but not thread-safe.
/// </summary>
internal sealed class PerThreadHmac(ReadOnlySpan<byte> key) : IDisposable
{
    private readonly byte[] _key = key.ToArray();
    private readonly ThreadLocal<IncrementalHash> _perThread = new(trackAllValues: true);

    /// <summary>Signed content up to this size is hashed in one call from a stack copy: a native call saved.</summary>
    private const int ContiguousBytes = 1024;

    public void Compute(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        var hmac = _perThread.Value ??= IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        try
        {
            if (prefix.Length + body.Length <= ContiguousBytes)
            {
                Span<byte> signed = stackalloc byte[ContiguousBytes];
                prefix.CopyTo(signed);
                body.CopyTo(signed[prefix.Length..]);
                hmac.AppendData(signed[..(prefix.Length + body.Length)]);
            }
            else
            {
                hmac.AppendData(prefix);
                hmac.AppendData(body);
            }

            hmac.GetHashAndReset(destination);
        }
        catch
        {
            // A half-fed instance must not be reused.
            _perThread.Value = null!;
            hmac.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var hmac in _perThread.Values)
        {
            hmac?.Dispose();
        }

        _perThread.Dispose();
    }
}
