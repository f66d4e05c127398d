using Azure.Storage.Queues;

namespace SimpleAi.Functions.Tests.Suites;

/// <summary>
/// Every kind of unusable request to both HTTP functions, as one table: each gets its precise status, never a 5xx,
/// queues nothing, and no secret reaches the logs.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BadInputSuiteTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string CallId = "123e4567-e89b-12d3-a456-426614174000";
    private static readonly string Valid = $"{{\"event_type\":\"call.completed\",\"event_id\":\"evt_bad_input\",\"payload\":{{\"call_id\":\"{CallId}\",\"attempt\":1}}}}";

    private readonly RecordingLoggerProvider _logs = new();
    private ServiceProvider _app = null!;
    private QueueClient _events = null!;

    public async Task InitializeAsync()
    {
        _app = TestApp.Build(TestApp.Settings(azurite.ConnectionString), _logs);
        _events = new QueueServiceClient(azurite.ConnectionString, AzureConnections.QueueOptions()).GetQueueClient(QueueNames.Events);
        await _events.CreateIfNotExistsAsync();
        await _events.ClearMessagesAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A request to send; the body is signed validly unless <see cref="Headers"/> says otherwise.</summary>
    public sealed record Case(string Name, int Status, string Target = "ingest")
    {
        public byte[] Body { get; init; } = Encoding.UTF8.GetBytes(Valid);
        public string Method { get; init; } = "POST";
        public string? ContentType { get; init; } = "application/json";
        public long? ContentLength { get; init; } = -1;
        public Func<Dictionary<string, List<string>>, Dictionary<string, List<string>>> Headers { get; init; } = h => h;

        public override string ToString() => Name;
    }

    private static Case Json(string name, string json, int status = 400) => new(name, status) { Body = Encoding.UTF8.GetBytes(json) };

    private static Case Body(string name, byte[] body, int status = 400) => new(name, status) { Body = body };

    private static Case Signature(string name, Func<Dictionary<string, List<string>>, Dictionary<string, List<string>>> change) => new(name, 401) { Headers = change };

    private static Dictionary<string, List<string>> Set(Dictionary<string, List<string>> headers, string name, params string[] values)
    {
        headers[name] = [.. values];
        return headers;
    }

    private static Dictionary<string, List<string>> Without(Dictionary<string, List<string>> headers, string name)
    {
        headers.Remove(name);
        return headers;
    }

    private static Case PreCall(string name, int status, string body, string? authorization = "Bearer " + TestApp.PreCallToken) =>
        new(name, status, "precall")
        {
            Body = Encoding.UTF8.GetBytes(body),
            Headers = _ => authorization is null ? [] : new() { ["Authorization"] = [authorization] },
        };

    public static IEnumerable<Case> Cases()
    {
        var unix = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string Field(string name, string value) => Valid.Replace($"\"{name}\":\"evt_bad_input\"", $"\"{name}\":{value}", StringComparison.Ordinal);
        string Payload(string payload) => $"{{\"event_type\":\"call.completed\",\"event_id\":\"evt_bad_input\",\"payload\":{payload}}}";
        string Attempt(string attempt) => Payload($"{{\"call_id\":\"{CallId}\",\"attempt\":{attempt}}}");

        // Malformed and truncated JSON, wrong shapes.
        yield return Json("empty body", string.Empty);
        yield return Json("whitespace body", "   \n ");
        yield return Json("JSON null", "null");
        yield return Json("JSON true", "true");
        yield return Json("JSON number", "123");
        yield return Json("JSON string", "\"call.completed\"");
        yield return Json("JSON array", "[]");
        yield return Json("empty object", "{}");
        yield return Json("truncated after a key", "{\"event_type\":");
        yield return Json("truncated mid-string", Valid[..40]);
        yield return Json("missing closing brace", Valid[..^1]);
        yield return Json("trailing garbage", Valid + " x");
        yield return Json("two documents", Valid + Valid);
        yield return Json("trailing comma", Valid[..^1] + ",}");
        yield return Json("single quotes", Valid.Replace('"', '\''));
        yield return Json("a comment", "/* hi */" + Valid);
        yield return Json("NaN literal", Attempt("NaN"));
        yield return Json("unquoted key", Valid.Replace("\"event_type\"", "event_type", StringComparison.Ordinal));
        // Wrong types, nulls, missing fields.
        yield return Json("event_type a number", Valid.Replace("\"call.completed\"", "7", StringComparison.Ordinal));
        yield return Json("event_type null", Valid.Replace("\"call.completed\"", "null", StringComparison.Ordinal));
        yield return Json("event_type an object", Valid.Replace("\"call.completed\"", "{}", StringComparison.Ordinal));
        yield return Json("event_type empty", Valid.Replace("\"call.completed\"", "\"\"", StringComparison.Ordinal));
        yield return Json("event_id missing", $"{{\"event_type\":\"call.completed\",\"payload\":{{\"call_id\":\"{CallId}\",\"attempt\":1}}}}");
        yield return Json("event_id null", Field("event_id", "null"));
        yield return Json("event_id a number", Field("event_id", "42"));
        yield return Json("event_id empty", Field("event_id", "\"\""));
        yield return Json("event_id of 10,000 characters", Field("event_id", $"\"{new string('e', 10_000)}\""));
        yield return Json("event_id with a slash", Field("event_id", "\"evt/1\""));
        yield return Json("event_id with a control character", Field("event_id", "\"evt\\u0007\""));
        yield return Json("payload missing", "{\"event_type\":\"call.completed\",\"event_id\":\"evt_bad_input\"}");
        yield return Json("payload null", Payload("null"));
        yield return Json("payload an array", Payload("[]"));
        yield return Json("payload a string", Payload("\"x\""));
        yield return Json("call_id missing", Payload("{\"attempt\":1}"));
        yield return Json("call_id null", Payload("{\"call_id\":null,\"attempt\":1}"));
        yield return Json("call_id a number", Payload("{\"call_id\":12,\"attempt\":1}"));
        yield return Json("call_id not a UUID", Payload("{\"call_id\":\"../../calls\",\"attempt\":1}"));
        yield return Json("attempt missing", Payload($"{{\"call_id\":\"{CallId}\"}}"));
        yield return Json("attempt a string", Attempt("\"1\""));
        yield return Json("attempt null", Attempt("null"));
        yield return Json("attempt zero", Attempt("0"));
        yield return Json("attempt negative", Attempt("-3"));
        yield return Json("attempt fractional", Attempt("1.5"));
        yield return Json("attempt huge", Attempt("99999999999999999999999999"));
        yield return Json("attempt 1e400", Attempt("1e400"));
        yield return Json("duplicate event_type", "{\"event_type\":\"call.completed\"," + Valid[1..]);
        yield return Json("duplicate event_id", Valid[..^1] + ",\"event_id\":\"evt_other\"}");
        yield return Json("duplicate call_id", Payload($"{{\"call_id\":\"{CallId}\",\"call_id\":\"{CallId}\",\"attempt\":1}}"));
        yield return Json("deep nesting", Valid[..^1] + ",\"deep\":" + new string('[', 5000) + new string(']', 5000) + "}");
        // Encodings.
        yield return Body("invalid UTF-8", [.. Encoding.UTF8.GetBytes(Valid[..^2]), 0xC3, 0x28, .. "\"}"u8]);
        yield return Body("UTF-8 byte order mark", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Valid)]);
        yield return Body("lone surrogate encoded", [.. Encoding.UTF8.GetBytes(Valid[..^2]), 0xED, 0xA0, 0x80, .. "\"}"u8]);
        yield return Body("UTF-16 body", Encoding.Unicode.GetBytes(Valid));
        yield return Body("NUL bytes", [0, 0, 0, 0]);
        // Signatures and their headers.
        yield return Signature("no signature headers at all", _ => []);
        yield return Signature("webhook-id missing", h => Without(h, "webhook-id"));
        yield return Signature("webhook-timestamp missing", h => Without(h, "webhook-timestamp"));
        yield return Signature("webhook-signature missing", h => Without(h, "webhook-signature"));
        yield return Signature("empty webhook-signature", h => Set(h, "webhook-signature", string.Empty));
        yield return Signature("garbage signature", h => Set(h, "webhook-signature", "not-a-signature"));
        yield return Signature("v1 with invalid base64", h => Set(h, "webhook-signature", "v1,@@@@"));
        yield return Signature("v1 with a short MAC", h => Set(h, "webhook-signature", "v1,AAAA"));
        yield return Signature("v1 with a zero MAC", h => Set(h, "webhook-signature", "v1," + Convert.ToBase64String(new byte[32])));
        yield return Signature("only a v2 entry", h => Set(h, "webhook-signature", h["webhook-signature"][0].Replace("v1,", "v2,", StringComparison.Ordinal)));
        yield return Signature("non-numeric timestamp", h => Set(h, "webhook-timestamp", "yesterday"));
        yield return Signature("negative timestamp", h => Set(h, "webhook-timestamp", "-1"));
        yield return Signature("fractional timestamp", h => Set(h, "webhook-timestamp", $"{unix}.5"));
        yield return Signature("huge timestamp", h => Set(h, "webhook-timestamp", "99999999999999999999999"));
        yield return Signature("zero timestamp", h => Set(h, "webhook-timestamp", "0"));
        yield return Signature("timestamp an hour ahead", h => Set(h, "webhook-timestamp", (unix + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        yield return Signature("replayed an hour later", h => Set(h, "webhook-timestamp", (unix - 3600).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        yield return Signature("timestamp header twice", h => Set(h, "webhook-timestamp", h["webhook-timestamp"][0], h["webhook-timestamp"][0]));
        yield return Signature("two different webhook-ids", h => Set(h, "webhook-id", "msg_a", "msg_b"));
        yield return Signature("tampered webhook-id", h => Set(h, "webhook-id", "msg_other"));
        yield return Signature("signature of another secret", h => Set(h, "webhook-signature", TestSigning.Sign(Encoding.UTF8.GetBytes(Valid), DateTimeOffset.UtcNow, h["webhook-id"][0], TestSigning.OtherSecret).Signature!));
        yield return Signature("signature of another body", h => Set(h, "webhook-signature", TestSigning.Sign(Encoding.UTF8.GetBytes(Valid + " "), DateTimeOffset.UtcNow, h["webhook-id"][0]).Signature!));
        // Media types, methods, sizes.
        yield return new Case("no content type", 415) { ContentType = null };
        yield return new Case("text/plain", 415) { ContentType = "text/plain" };
        yield return new Case("application/xml", 415) { ContentType = "application/xml" };
        yield return new Case("form encoded", 415) { ContentType = "application/x-www-form-urlencoded" };
        yield return new Case("multipart", 415) { ContentType = "multipart/form-data; boundary=x" };
        yield return new Case("latin-1 charset", 415) { ContentType = "application/json; charset=iso-8859-1" };
        yield return new Case("garbage content type", 415) { ContentType = ";;;" };
        foreach (var method in new[] { "GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS" })
        {
            yield return new Case(method, 405) { Method = method };
        }

        yield return new Case("declared length over 1 MiB", 413) { Body = new byte[16], ContentLength = 1024 * 1024 + 1 };
        yield return new Case("chunked body over 1 MiB", 413) { Body = new byte[1024 * 1024 + 1], ContentLength = null };
        yield return new Case("declared length longer than the body", 400) { ContentLength = Valid.Length + 100 };

        // The pre-call hook.
        const string call = "{\"call\":{\"from_number\":\"+15551234567\",\"to_number\":\"+15557654321\",\"direction\":\"inbound\"}}";
        yield return PreCall("pre-call without Authorization", 401, call, authorization: null);
        yield return PreCall("pre-call with a wrong token", 401, call, "Bearer nope");
        yield return PreCall("pre-call with Basic auth", 401, call, "Basic " + TestApp.PreCallToken);
        yield return PreCall("pre-call with an empty bearer", 401, call, "Bearer ");
        yield return PreCall("pre-call empty body", 400, string.Empty);
        yield return PreCall("pre-call not JSON", 400, "call me");
        yield return PreCall("pre-call truncated", 400, call[..20]);
        yield return PreCall("pre-call JSON array", 400, "[]");
        yield return PreCall("pre-call without call", 400, "{\"agent\":{}}");
        yield return PreCall("pre-call call null", 400, "{\"call\":null}");
        yield return PreCall("pre-call from_number a number", 400, "{\"call\":{\"from_number\":15551234567}}");
        yield return PreCall("pre-call deep nesting", 400, "{\"call\":" + new string('[', 5000) + new string(']', 5000) + "}");
        yield return new Case("pre-call GET", 405, "precall") { Method = "GET", Headers = _ => new() { ["Authorization"] = ["Bearer " + TestApp.PreCallToken] } };
        yield return new Case("pre-call text/plain", 415, "precall") { ContentType = "text/plain", Headers = _ => new() { ["Authorization"] = ["Bearer " + TestApp.PreCallToken] } };
        yield return new Case("pre-call over 64 KiB", 413, "precall") { Body = new byte[64 * 1024 + 1], Headers = _ => new() { ["Authorization"] = ["Bearer " + TestApp.PreCallToken] } };
    }

    public static TheoryData<Case> Table() => new(Cases());

    [Fact]
    public void TheTable_HasAtLeastSixtyDistinctCases()
    {
        var names = Cases().Select(c => c.Name).ToList();

        Assert.True(names.Count >= 60, $"{names.Count} cases");
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Table))]
    public async Task BadRequest_GetsItsStatusNever5xxQueuesNothingLogsNoSecret(Case request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var signed = TestSigning.Sign(request.Body, DateTimeOffset.UtcNow, "msg_bad_input");
        var headers = request.Headers(new Dictionary<string, List<string>>
        {
            ["webhook-id"] = [signed.Id!],
            ["webhook-timestamp"] = [signed.Timestamp!],
            ["webhook-signature"] = [signed.Signature!],
        });
        var before = (await _events.GetPropertiesAsync()).Value.ApproximateMessagesCount;

        var response = await HttpInvoker.InvokeAsync(
            request.Target == "precall"
                ? (http, _) => _app.GetRequiredService<HttpFunctions>().PreCallLookup(http)
                : _app.GetRequiredService<HttpFunctions>().WebhookIngest,
            request.Method,
            new MemoryStream(request.Body),
            request.ContentLength == -1 ? request.Body.Length : request.ContentLength,
            request.ContentType,
            headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))));

        Assert.Equal(request.Status, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(before, (await _events.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        var logs = string.Join('\n', _logs.Lines);
        Assert.DoesNotContain(TestSigning.Secret["whsec_".Length..], logs, StringComparison.Ordinal);
        Assert.DoesNotContain(TestApp.PreCallToken, logs, StringComparison.Ordinal);
    }
}
