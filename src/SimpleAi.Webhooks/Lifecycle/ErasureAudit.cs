using System.Globalization;
using System.Security.Cryptography;

namespace SimpleAi.Webhooks.Lifecycle;

/// <summary>
/// The proof that an erasure happened, with no personal data: when, by whom, what was asked (a call, or a caller as
/// <see cref="NumberHash"/>), the counts deleted and the erased call ids (the one place they stay, as the issue allows).
/// </summary>
/// <param name="NumberHash">
/// HMAC-SHA256 of the E.164 number under the erasure audit key (<c>Retention__AuditKey</c>, a secret the customer keeps):
/// the same number always gives the same hash, so "was +1555… erased?" is answered by hashing it again with the key,
/// and without the key the hash cannot be reversed by trying every phone number (which a plain or public-salted hash
/// of a 10-digit space allows in seconds).
/// </param>
public sealed record ErasureAudit(
    string ErasureId,
    DateTimeOffset ErasedOn,
    string ErasedBy,
    string Subject,
    string? NumberHash,
    IReadOnlyList<string> CallIds,
    int Rows,
    int Blobs,
    int Messages,
    bool Contact)
{
    /// <summary>The shortest audit key accepted: 32 bytes of UTF-8 (e.g. <c>openssl rand -base64 32</c>).</summary>
    public const int MinKeyBytes = 32;

    public static string HashOf(string e164, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(e164);
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Convert.ToHexStringLower(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key), System.Text.Encoding.UTF8.GetBytes(e164)));
    }

    /// <summary>Audit rows sort newest first.</summary>
    public static string RowKeyOf(DateTimeOffset on, string erasureId) =>
        (DateTimeOffset.MaxValue.UtcTicks - on.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "|" + erasureId;

    public TableEntity ToEntity() => new(LifecycleRecords.AuditPartition, RowKeyOf(ErasedOn, ErasureId))
    {
        ["ErasureId"] = ErasureId,
        ["ErasedOn"] = ErasedOn,
        ["ErasedBy"] = ErasedBy,
        ["Subject"] = Subject,
        ["NumberHash"] = NumberHash,
        ["CallIds"] = string.Join(',', CallIds),
        ["Calls"] = CallIds.Count,
        ["Rows"] = Rows,
        ["Blobs"] = Blobs,
        ["Messages"] = Messages,
        ["Contact"] = Contact,
    };
}
