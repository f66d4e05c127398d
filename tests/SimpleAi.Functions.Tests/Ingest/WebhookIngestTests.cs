using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Functions.Tests.Ingest;

/// <summary><c>WebhookIngest</c> in process, from the app's container, against a real Azurite queue.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebhookIngestTests : IAsyncLifetime, IDisposable
{
    private const string CallId = "123e4567-e89b-12d3-a456-426614174000";

    private readonly AzuriteFixture _azurite;
    private readonly RecordingLoggerProvider _logs = new();
    private readonly ServiceProvider _app;
    private readonly QueueClient _events;

    public WebhookIngestTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _app = TestApp.Build(TestApp.Settings(azurite.ConnectionString), _logs);
        _events = new QueueServiceClient(azurite.ConnectionString, AzureConnections.QueueOptions()).GetQueueClient(QueueNames.Events);
    }

    public async Task InitializeAsync()
    {
        await _events.CreateIfNotExistsAsync();
        await _events.ClearMessagesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _app.Dispose();

    private static byte[] Fixture(string name) => RepoPaths.FixtureBytes(name);

    private static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);

    private static IEnumerable<KeyValuePair<string, string>> Signed(byte[] body, string id = "msg_test", DateTimeOffset? at = null, string secret = TestSigning.Secret)
    {
        var headers = TestSigning.Sign(body, at ?? DateTimeOffset.UtcNow, id, secret);
        return
        [
            new("webhook-id", headers.Id!),
            new("webhook-timestamp", headers.Timestamp!),
            new("webhook-signature", headers.Signature!),
        ];
    }

    private Task<HttpResponseRecord> PostAsync(
        byte[] body,
        IEnumerable<KeyValuePair<string, string>>? headers = null,
        string? contentType = "application/json",
        string method = "POST",
        ServiceProvider? app = null) =>
        HttpInvoker.InvokeAsync(
            (app ?? _app).GetRequiredService<HttpFunctions>().WebhookIngest,
            method,
            new MemoryStream(body),
            body.Length,
            contentType,
            headers ?? Signed(body));

    private async Task<List<EventMessage>> QueuedAsync()
    {
        var received = await _events.ReceiveMessagesAsync(32);
        return received.Value
            .Select(m => EventMessageCodec.TryDecode(m.Body.ToArray(), out var message, out var error)
                ? message
                : throw new InvalidOperationException(error))
            .ToList();
    }

    private async Task AssertNothingQueuedAsync()
    {
        var properties = await _events.GetPropertiesAsync();
        Assert.Equal(0, properties.Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task SignedCallCompleted_Is202AndQueuedByteForByteWithMetadata()
    {
        var body = Fixture("webhook-call-completed.json");

        var response = await PostAsync(body, Signed(body, "msg_completed"));

        Assert.Equal(202, response.Status);
        Assert.Equal("evt_Wqb1k73rXprtTm7Qdlr38G", response.Json?.GetProperty("event_id").GetString());
        var queued = Assert.Single(await QueuedAsync());
        Assert.Equal(body, queued.Body.ToArray());
        Assert.Equal(
            ("evt_Wqb1k73rXprtTm7Qdlr38G", "call.completed", CallId, 1, "msg_completed"),
            (queued.EventId, queued.EventType, queued.CallId, queued.Attempt, queued.WebhookId));
        Assert.Equal(HttpInvoker.TraceParent, queued.TraceParent);
        Assert.Equal("vendor=test", queued.TraceState);
        Assert.InRange(queued.ReceivedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Theory]
    [InlineData("webhook-call-started.json", "call.started")]
    [InlineData("webhook-call-transcript-update.json", "call.transcript_update")]
    public async Task OtherKnownEvents_AreQueued(string fixture, string type)
    {
        var response = await PostAsync(Fixture(fixture));

        Assert.Equal(202, response.Status);
        Assert.Equal(type, Assert.Single(await QueuedAsync()).EventType);
    }

    [Fact]
    public async Task SvixHeaderSpelling_IsAccepted()
    {
        var body = Fixture("webhook-call-completed.json");
        var headers = Signed(body).Select(h => new KeyValuePair<string, string>(h.Key.Replace("webhook-", "svix-", StringComparison.Ordinal), h.Value));

        var response = await PostAsync(body, headers);

        Assert.Equal(202, response.Status);
    }

    [Fact]
    public async Task UnknownEventType_Is202AndQueuedWithItsType()
    {
        var body = Json("""{"event_type":"agent.updated","event_id":"evt_new_kind","payload":{"agent_id":"a1"}}""");

        var response = await PostAsync(body);

        Assert.Equal(202, response.Status);
        var queued = Assert.Single(await QueuedAsync());
        Assert.Equal(("agent.updated", "evt_new_kind", null), (queued.EventType, queued.EventId, queued.CallId));
    }

    [Fact]
    public async Task JsonWithCharsetParameter_IsAccepted()
    {
        var response = await PostAsync(Fixture("webhook-call-completed.json"), contentType: "application/json; charset=utf-8");

        Assert.Equal(202, response.Status);
    }

    public static TheoryData<string, SignatureFailure> BadSignatures() => new()
    {
        { "missing-all", SignatureFailure.MissingHeader },
        { "missing-id", SignatureFailure.MissingHeader },
        { "missing-timestamp", SignatureFailure.MissingHeader },
        { "missing-signature", SignatureFailure.MissingHeader },
        { "garbled", SignatureFailure.MalformedSignature },
        { "bad-base64", SignatureFailure.MalformedSignature },
        { "expired", SignatureFailure.TimestampExpired },
        { "future", SignatureFailure.TimestampInFuture },
        { "non-numeric-timestamp", SignatureFailure.InvalidTimestamp },
        { "wrong-secret", SignatureFailure.SignatureMismatch },
        { "other-body", SignatureFailure.SignatureMismatch },
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task BadSignature_Is401AndQueuesNothing(string scenario, SignatureFailure reason)
    {
        var body = Fixture("webhook-call-completed.json");
        var good = Signed(body).ToDictionary();
        var headers = scenario switch
        {
            "missing-all" => [],
            "missing-id" => Without(good, "webhook-id"),
            "missing-timestamp" => Without(good, "webhook-timestamp"),
            "missing-signature" => Without(good, "webhook-signature"),
            "garbled" => With(good, "webhook-signature", "sig=abc"),
            "bad-base64" => With(good, "webhook-signature", "v1,@@@not-base64@@@"),
            "expired" => Signed(body, at: DateTimeOffset.UtcNow.AddMinutes(-6)).ToDictionary(),
            "future" => Signed(body, at: DateTimeOffset.UtcNow.AddMinutes(6)).ToDictionary(),
            "non-numeric-timestamp" => With(good, "webhook-timestamp", "yesterday"),
            "wrong-secret" => Signed(body, secret: TestSigning.OtherSecret).ToDictionary(),
            "other-body" => Signed(Fixture("webhook-call-started.json")).ToDictionary(),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };

        var response = await PostAsync(body, headers);

        Assert.Equal(401, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(reason.ToString(), response.Json?.GetProperty("reason").GetString());
        await AssertNothingQueuedAsync();
        Assert.DoesNotContain(_logs.Lines, line => line.Contains(TestSigning.Secret["whsec_".Length..], StringComparison.Ordinal));
    }

    public static TheoryData<string, string> BadEnvelopes() => new()
    {
        { "this is not json", "$" },
        { """{"event_type":"call.completed","event_id":"evt_1","payload":{"call_id":""", "$" },
        { """["call.completed"]""", "$" },
        { $$$"""{"event_id":"evt_1","payload":{"call_id":"{{{CallId}}}","attempt":1}}""", "event_type" },
        { $$$"""{"event_type":"call.completed","payload":{"call_id":"{{{CallId}}}","attempt":1}}""", "event_id" },
        { """{"event_type":"call.completed","event_id":"evt_1","payload":{"attempt":1}}""", "payload.call_id" },
        { $$$"""{"event_type":"call.completed","event_id":"evt_1","payload":{"call_id":"{{{CallId}}}"}}""", "payload.attempt" },
        { $$$"""{"event_type":["call.completed"],"event_id":"evt_1","payload":{"call_id":"{{{CallId}}}","attempt":1}}""", "event_type" },
        { $$$"""{"event_type":"call.completed","event_id":7,"payload":{"call_id":"{{{CallId}}}","attempt":1}}""", "event_id" },
        { $$$"""{"event_type":"call.completed","event_id":"evt_1","payload":{"call_id":"{{{CallId}}}","attempt":"1"}}""", "payload.attempt" },
        { """{"event_type":"call.completed","event_id":"evt_1","payload":{"call_id":42,"attempt":1}}""", "payload.call_id" },
        { """{"event_type":"call.completed","event_id":"evt_1","payload":"call"}""", "payload" },
    };

    [Theory]
    [MemberData(nameof(BadEnvelopes))]
    public async Task SignedButUnusableBody_Is400NamingTheFieldAndQueuesNothing(string json, string field)
    {
        var response = await PostAsync(Json(json));

        Assert.Equal(400, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(field, response.Field);
        Assert.Contains(field, response.Detail, StringComparison.Ordinal);
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task DeclaredLengthOverLimit_Is413WithoutReadingTheBody()
    {
        var function = _app.GetRequiredService<HttpFunctions>();

        var response = await HttpInvoker.InvokeAsync(
            function.WebhookIngest, "POST", new UnreadableStream(), 1024 * 1024 + 1, "application/json", []);

        Assert.Equal(413, response.Status);
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task ChunkedBodyOverLimit_Is413()
    {
        var body = new byte[1024 * 1024 + 10];
        var function = _app.GetRequiredService<HttpFunctions>();

        var response = await HttpInvoker.InvokeAsync(function.WebhookIngest, "POST", new MemoryStream(body), null, "application/json", Signed(body));

        Assert.Equal(413, response.Status);
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task ChunkedBodyUnderLimit_IsAccepted()
    {
        var body = Fixture("webhook-call-completed.json");
        var function = _app.GetRequiredService<HttpFunctions>();

        var response = await HttpInvoker.InvokeAsync(function.WebhookIngest, "POST", new MemoryStream(body), null, "application/json", Signed(body));

        Assert.Equal(202, response.Status);
        Assert.Equal(body, Assert.Single(await QueuedAsync()).Body.ToArray());
    }

    [Fact]
    public async Task BodyShorterThanDeclared_Is400()
    {
        var body = Fixture("webhook-call-completed.json");
        var function = _app.GetRequiredService<HttpFunctions>();

        var response = await HttpInvoker.InvokeAsync(function.WebhookIngest, "POST", new MemoryStream(body), body.Length + 10, "application/json", Signed(body));

        Assert.Equal(400, response.Status);
        await AssertNothingQueuedAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("not a media type")]
    public async Task WrongContentType_Is415(string? contentType)
    {
        var response = await PostAsync(Fixture("webhook-call-completed.json"), contentType: contentType);

        Assert.Equal(415, response.Status);
        await AssertNothingQueuedAsync();
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task OtherMethods_Are405WithAllowPost(string method)
    {
        var response = await PostAsync(Fixture("webhook-call-completed.json"), method: method);

        Assert.Equal(405, response.Status);
        Assert.Equal("POST", response.Headers.Allow.ToString());
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task QueueUnreachable_Is503WithRetryAfterNever2xx()
    {
        var settings = TestApp.Settings(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Convert.ToBase64String(new byte[64])};" +
            $"QueueEndpoint=http://127.0.0.1:{ClosedPort.Find()}/devstoreaccount1;" +
            $"BlobEndpoint=http://127.0.0.1:{ClosedPort.Find()}/devstoreaccount1;");
        await using var unreachable = TestApp.Build(settings, _logs);

        var response = await PostAsync(Fixture("webhook-call-completed.json"), app: unreachable);

        Assert.Equal(503, response.Status);
        Assert.Equal("10", response.Headers.RetryAfter.ToString());
        Assert.Contains(_logs.Lines, line => line.Contains("answered 503", StringComparison.Ordinal));
    }

    private static byte[] CompletedBodyOfLength(int length)
    {
        var head = "{\"event_type\":\"call.completed\",\"event_id\":\"evt_large\",\"payload\":{\"call_id\":\"" + CallId
            + "\",\"attempt\":1},\"pad\":\"";
        return Json(head + new string('x', length - head.Length - 2) + "\"}");
    }

    [Fact]
    public async Task BodyTooLargeForAQueueMessage_IsQueuedByReferenceToABlob()
    {
        var body = CompletedBodyOfLength(300_000);

        var response = await PostAsync(body);

        Assert.Equal(202, response.Status);
        var queued = Assert.Single(await QueuedAsync());
        Assert.True(queued.Body.IsEmpty);
        Assert.NotNull(queued.BodyBlob);
        Assert.Equal(body, await _app.GetRequiredService<EventBodyStore>().LoadAsync(queued.BodyBlob, CancellationToken.None));
    }

    [Fact]
    public async Task BodyAtTheHighestInlineLimit_StillFitsAStorageQueueMessage()
    {
        var settings = TestApp.Settings(_azurite.ConnectionString);
        settings["Ingest:MaxInlineBodyBytes"] = (45 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var app = TestApp.Build(settings, _logs);
        var body = CompletedBodyOfLength(45 * 1024);

        var response = await PostAsync(body, app: app);

        Assert.Equal(202, response.Status);
        var queued = Assert.Single(await QueuedAsync());
        Assert.Null(queued.BodyBlob);
        Assert.Equal(body, queued.Body.ToArray());
    }

    [Fact]
    public async Task LargeBodyWithBlobStorageDown_Is503AndQueuesNothing()
    {
        var settings = TestApp.Settings(Regex.Replace(
            _azurite.ConnectionString, @"BlobEndpoint=http://127\.0\.0\.1:\d+", $"BlobEndpoint=http://127.0.0.1:{ClosedPort.Find()}"));
        await using var app = TestApp.Build(settings, _logs);

        var response = await PostAsync(CompletedBodyOfLength(100_000), app: app);

        Assert.Equal(503, response.Status);
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task SameDeliveryTwice_IsQueuedTwiceForTheRouterToDedupe()
    {
        var body = Fixture("webhook-call-completed.json");
        var headers = Signed(body, "msg_retry").ToList();

        Assert.Equal(202, (await PostAsync(body, headers)).Status);
        Assert.Equal(202, (await PostAsync(body, headers)).Status);

        Assert.Equal(2, (await QueuedAsync()).Count);
    }

    private static Dictionary<string, string> Without(Dictionary<string, string> headers, string name) =>
        headers.Where(h => h.Key != name).ToDictionary();

    private static Dictionary<string, string> With(Dictionary<string, string> headers, string name, string value) =>
        new(headers) { [name] = value };

    /// <summary>Fails the test if anything reads it: proves a 413 is decided from the declared length alone.</summary>
    private sealed class UnreadableStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            throw new InvalidOperationException("The body was read.");

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
