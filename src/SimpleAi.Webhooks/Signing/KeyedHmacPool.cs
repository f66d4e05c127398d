using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace SimpleAi.Webhooks.Signing;

/// <summary>
/// Pre-keyed HMAC-SHA256 instances for one secret. Keying costs about as much as hashing a small body, and an
/// <see cref="IncrementalHash"/> is reusable after <c>GetHashAndReset</c> but not thread-safe: so pool them.
/// </summary>
internal sealed class KeyedHmacPool(ReadOnlySpan<byte> key) : IDisposable
{
    private readonly byte[] _key = key.ToArray();
    private readonly ConcurrentBag<IncrementalHash> _idle = [];

    public void Compute(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        if (!_idle.TryTake(out var hmac))
        {
            hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        }

        try
        {
            hmac.AppendData(prefix);
            hmac.AppendData(body);
            hmac.GetHashAndReset(destination);
        }
        catch
        {
            hmac.Dispose();
            throw;
        }

        _idle.Add(hmac);
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var hmac))
        {
            hmac.Dispose();
        }
    }
}
