using System.Text.Json.Nodes;
using SimpleAi.Webhooks.Actions.Transformations;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Webhooks.Tests.Actions;

/// <summary>
/// The sandbox: what a handler gets and may return, and every way it can go wrong (each stopped, the step failed for
/// good naming the file, and the next delivery unharmed).
/// </summary>
public sealed class TransformationTests : IDisposable
{
    private static readonly Uri SlackUrl = new("https://hooks.example.test/services/T000/B000/secret-path-0123");

    private static readonly OutboundRequest Document =
        OutboundRequest.Post(SlackUrl, Encoding.UTF8.GetBytes("""{"call_id":"c-1","from_number":"+15551234567","name":"Zoë 😀"}"""));

    private readonly TransformationScripts _scripts = new();

    public void Dispose() => _scripts.Dispose();

    private Transformation Passing() => _scripts.Load("pass.js", "function handler(webhook) { webhook.payload.ok = true; return webhook; }");

    private static string Text(byte[] body) => Encoding.UTF8.GetString(body);

    [Fact]
    public void Handler_GetsMethodUrlHeadersAndThePayloadAsParsedJson()
    {
        var transformation = _scripts.Load("echo.js", """
            function handler(webhook) {
              webhook.payload = { method: webhook.method, url: webhook.url, headers: webhook.headers, from: webhook.payload.from_number, name: webhook.payload.name };
              return webhook;
            }
            """);

        var result = transformation.Apply(Document, CancellationToken.None)!;

        Assert.Equal(
            """{"method":"POST","url":"https://hooks.example.test/services/T000/B000/secret-path-0123","headers":{},"from":"+15551234567","name":"Zoë 😀"}""",
            Text(result.Body));
    }

    [Fact]
    public void ReturnedRequest_IsSentWithItsMethodUrlHeadersAndPayloadBytes()
    {
        var transformation = _scripts.Load("reshape.js", """
            function handler(webhook) {
              return { method: "put", url: "https://api.example.test/v3/notes?x=1", headers: { "X-Api-Version": "3", "Content-Type": "application/vnd.api+json" },
                       payload: { note: webhook.payload.name + " called", list: [1, 2.5, null, "+"] } };
            }
            """);

        var result = transformation.Apply(Document, CancellationToken.None)!;

        Assert.Equal(HttpMethod.Put, result.Method);
        Assert.Equal(new Uri("https://api.example.test/v3/notes?x=1"), result.Url);
        Assert.Equal(new Dictionary<string, string> { ["X-Api-Version"] = "3", ["Content-Type"] = "application/vnd.api+json" }, result.Headers);
        Assert.Equal("""{"note":"Zoë 😀 called","list":[1,2.5,null,"+"]}""", Text(result.Body));
    }

    [Fact]
    public void StringPayload_IsSentAsItIs()
    {
        var transformation = _scripts.Load("form.js", """
            function handler(webhook) { webhook.payload = "name=" + encodeURIComponent(webhook.payload.name); return webhook; }
            """);

        var result = transformation.Apply(Document, CancellationToken.None)!;

        Assert.Equal("name=Zo%C3%AB%20%F0%9F%98%80", Text(result.Body));
    }

    [Fact]
    public void CancelTrue_CancelsTheDelivery()
    {
        var transformation = _scripts.Load("cancel.js", "function handler(webhook) { return { cancel: true }; }");

        Assert.Null(transformation.Apply(Document, CancellationToken.None));
    }

    public static TheoryData<string, string, string> Failures() => new()
    {
        { "throws.js", "function handler(webhook) {\n  const x = 1;\n  throw new Error('no CRM id for ' + webhook.payload.call_id);\n}", "transformation throws.js threw at line 3, column 9: no CRM id for c-1" },
        { "typo.js", "function handler(webhook) {\n  return webhook.payload.missing.field;\n}", "transformation typo.js threw at line 2, column" },
        { "loop.js", "function handler(webhook) { while (true) {} }", "transformation loop.js ran longer than its limit of 1 s" },
        { "recurse.js", "function handler(webhook) { return handler(webhook); }", "transformation recurse.js recursed deeper than its limit of 256 calls" },
        { "nothing.js", "function handler(webhook) { webhook.payload.x = 1; }", "transformation nothing.js returned no object" },
        { "get.js", "function handler(webhook) { webhook.method = 'GET'; return webhook; }", "transformation get.js returned a method other than POST, PUT or PATCH" },
        { "ftp.js", "function handler(webhook) { webhook.url = 'ftp://example.test/x'; return webhook; }", "transformation ftp.js returned a url that is not an absolute http(s) URL" },
        { "relative.js", "function handler(webhook) { webhook.url = '/notes'; return webhook; }", "transformation relative.js returned a url that is not an absolute http(s) URL" },
        { "number.js", "function handler(webhook) { webhook.payload = 42; return webhook; }", "transformation number.js returned a payload that is not an object, an array or a string" },
        { "header-number.js", "function handler(webhook) { webhook.headers['X-Count'] = 3; return webhook; }", "transformation header-number.js returned the header 'X-Count'" },
        { "header-crlf.js", "function handler(webhook) { webhook.headers['X-A'] = 'a\\r\\nX-B: b'; return webhook; }", "transformation header-crlf.js returned the header 'X-A'" },
        { "eval.js", "function handler(webhook) { return eval('webhook'); }", "transformation eval.js threw" },
        { "clr.js", "function handler(webhook) { return System.IO.File.ReadAllText('/etc/passwd'); }", "transformation clr.js threw at line 1, column 36: System is not defined" },
        { "getter-loop.js", "function handler(webhook) { return { method: 'POST', url: webhook.url, get payload() { while (true) {} } }; }", "transformation getter-loop.js ran longer than its limit of 1 s" },
        { "stringify.js", "function handler(webhook) { JSON.stringify = function () { return 'not json'; }; return webhook; }", "transformation stringify.js returned something JSON.stringify did not turn into JSON" },
        { "cycle.js", "function handler(webhook) { webhook.payload.self = webhook; return webhook; }", "transformation cycle.js threw" },
        { "url-in-error.js", "function handler(webhook) { throw new Error('bad ' + webhook.url); }", "transformation url-in-error.js threw at line 1, column 35: bad hooks.example.test" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void FailingHandler_FailsTheStepForGoodNamingTheFile_AndTheNextDeliveryRuns(string file, string source, string reason)
    {
        var failing = _scripts.Load(file, source);

        var error = Assert.Throws<PermanentStepFailureException>(() => failing.Apply(Document, CancellationToken.None));

        Assert.StartsWith(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-path", error.Message, StringComparison.Ordinal);
        Assert.Equal("true", JsonNode.Parse(Passing().Apply(Document, CancellationToken.None)!.Body)!["ok"]!.ToJsonString());
    }

    /// <summary>
    /// Allocating without end is stopped by the memory limit. The time limit is widened here so that a slow, shared
    /// machine cannot let the clock stop the script first (both stop it; this test is about the memory limit).
    /// </summary>
    [Theory]
    [InlineData("function handler(webhook) { let a = []; while (true) a.push(new Array(1e6)); }")]
    [InlineData("function handler(webhook) { let a = []; while (true) a.push('x'.repeat(1e5) + a.length); }")]
    [InlineData("function handler(webhook) { let s = 'x'; while (true) s = s + s; }")]
    [InlineData("function handler(webhook) { return { method: 'POST', url: webhook.url, get payload() { let a = []; while (true) a.push(new Array(1e6)); } }; }")]
    [InlineData("function handler(webhook) { return { method: 'POST', url: webhook.url, payload: { toJSON() { let a = []; while (true) a.push('y'.repeat(1e5) + a.length); } } }; }")]
    public void HandlerAllocatingWithoutEnd_IsStoppedByTheMemoryLimit_AndTheNextDeliveryRuns(string source)
    {
        var limits = TransformationLimits.Default with { Time = TimeSpan.FromMinutes(1) };
        var bomb = Transformation.Load(_scripts.Write("bomb.js", source), "bomb.js", limits);

        var error = Assert.Throws<PermanentStepFailureException>(() => bomb.Apply(Document, CancellationToken.None));

        Assert.Equal("transformation bomb.js allocated more than its limit of 16 MB", error.Message);
        Assert.NotNull(Passing().Apply(Document, CancellationToken.None));
    }

    [Theory]
    [InlineData("webhook-signature")]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("Idempotency-Key")]
    [InlineData("idempotency-key")]
    [InlineData("Content-Length")]
    [InlineData("Host")]
    public void HandlerSettingAHeaderTheAppOwns_FailsForGood(string header)
    {
        var transformation = _scripts.Load("headers.js", $"function handler(webhook) {{ webhook.headers['{header}'] = 'mine'; return webhook; }}");

        var error = Assert.Throws<PermanentStepFailureException>(() => transformation.Apply(Document, CancellationToken.None));

        Assert.Equal($"transformation headers.js set the header {header}, which the app sets itself", error.Message);
    }

    [Fact]
    public void StepCancelled_StopsTheHandlerAsACancellation_NotAFailure()
    {
        var transformation = _scripts.Load("slow.js", "function handler(webhook) { while (true) {} }");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => transformation.Apply(Document, cancelled.Token));
    }

    [Fact]
    public void GlobalsSetByOneDelivery_AreNotSeenByTheNext()
    {
        var transformation = _scripts.Load("count.js", """
            var seen = 0;
            function handler(webhook) { seen = seen + 1; webhook.payload = { seen: seen }; return webhook; }
            """);

        transformation.Apply(Document, CancellationToken.None);
        var second = transformation.Apply(Document, CancellationToken.None)!;

        Assert.Equal("""{"seen":1}""", Text(second.Body));
    }

    [Theory]
    [InlineData("transforms/broken.js", "function handler(webhook) {\n  return webhook +;\n}\n", "transformation transforms/broken.js does not compile: Unexpected token ';' at line 2, column 19")]
    [InlineData("other.js", "function transform(webhook) { return webhook; }", "transformation other.js defines no function handler(webhook)")]
    [InlineData("top.js", "while (true) {}\nfunction handler(webhook) { return webhook; }", "transformation top.js fails at load: ran longer than its limit of 1 s")]
    public void UnusableScript_IsAProblemNamingItAsConfigured(string configured, string script, string expected)
    {
        var path = _scripts.Write(Path.GetFileName(configured), script);

        Assert.False(Transformation.TryLoad(path, configured, out _, out var problem));

        Assert.Equal(expected, problem);
    }

    [Fact]
    public void MissingFile_IsAProblemNamingWhereItWasLookedFor()
    {
        var path = Path.Combine(_scripts.Folder, "absent.js");

        Assert.False(Transformation.TryLoad(path, "absent.js", out _, out var problem));

        Assert.Equal($"transformation absent.js does not exist (looked for {path})", problem);
    }
}
