using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using SimpleAi.Testing;
using SimpleAi.Webhooks.Signing;
using StandardWebhooks;

namespace SimpleAi.Benchmarks;

/// <summary>
/// Verifying one delivery: ours against the StandardWebhooks package and against the floor, one HMAC-SHA256 over
/// the signed bytes alone (<c>HMACSHA256.HashData</c>, the work no verifier can skip).
/// </summary>
[MemoryDiagnoser]
public class VerificationBenchmarks
{
    private byte[] _body = [];
    private string _bodyText = string.Empty;
    private byte[] _key = [];
    private byte[] _signedBytes = [];
    private WebhookHeaders _headers;
    private Func<string, string?> _headerAccessor = _ => null;
    private HeaderDictionary _packageHeaders = [];
    private StandardWebhookVerifier _ours = null!;
    private StandardWebhook _package = null!;

    /// <summary>The shared fixture body, and a 64 KiB body to show no allocation grows with the body.</summary>
    [Params("fixture", "64KiB")]
    public string Body { get; set; } = "fixture";

    [GlobalSetup]
    public void Setup()
    {
        _body = Body == "fixture"
            ? Encoding.UTF8.GetBytes(File.ReadAllText(RepoPaths.Fixture("webhook-call-completed.json")).TrimEnd('\n'))
            : Encoding.UTF8.GetBytes("{\"event_type\":\"x.y\",\"event_id\":\"e\",\"pad\":\"" + new string('a', 64 * 1024 - 50) + "\"}");
        _bodyText = Encoding.UTF8.GetString(_body);
        var secret = WebhookSecret.Parse(TestSigning.Secret);
        _key = Convert.FromBase64String(TestSigning.Secret["whsec_".Length..]);

        // The package checks against the real clock with a fixed 5-minute window: sign a little ahead of now.
        var timestamp = DateTimeOffset.UtcNow.AddMinutes(4).ToUnixTimeSeconds();
        _headers = StandardWebhookSigner.Sign(secret, "msg_benchmark", timestamp, _body);
        _headerAccessor = name => name switch
        {
            WebhookHeaders.IdName => _headers.Id,
            WebhookHeaders.TimestampName => _headers.Timestamp,
            WebhookHeaders.SignatureName => _headers.Signature,
            _ => null,
        };
        _packageHeaders = new HeaderDictionary
        {
            ["webhook-id"] = _headers.Id,
            ["webhook-timestamp"] = _headers.Timestamp,
            ["webhook-signature"] = _headers.Signature,
        };
        _signedBytes = [.. Encoding.UTF8.GetBytes($"{_headers.Id}.{timestamp.ToString(CultureInfo.InvariantCulture)}."), .. _body];
        _ours = new StandardWebhookVerifier([secret], TimeSpan.FromMinutes(10));
        _package = new StandardWebhook(TestSigning.Secret);
        if (!Ours() || !Package())
        {
            throw new InvalidOperationException("The benchmark's signature does not verify.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _ours.Dispose();

    [Benchmark(Baseline = true, Description = "floor: HMACSHA256.HashData(signed bytes)")]
    public byte Floor()
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, _signedBytes, mac);
        return mac[0];
    }

    [Benchmark(Description = "ours: StandardWebhookVerifier.Verify")]
    public bool Ours() => _ours.Verify(_body, _headerAccessor).IsValid;

    [Benchmark(Description = "StandardWebhooks package: Verify")]
    public bool Package()
    {
        _package.Verify(_bodyText, _packageHeaders);
        return true;
    }
}
