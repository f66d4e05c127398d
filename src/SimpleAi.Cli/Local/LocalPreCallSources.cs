using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Cli.Local;

/// <summary>
/// The worked example's pre-call sources, served locally (docs/precall.md): <c>POST /crm</c> answers an account
/// (<c>plan</c>, <c>ltv</c>, <c>account_owner</c>) and <c>POST /tickets</c> the open tickets (<c>open</c>,
/// <c>latest</c>) for the number in the request's <c>phone</c>, as a CRM and a helpdesk would; an unknown number gets
/// <c>{}</c>. Each request's Standard Webhooks signature is verified first (401 when it does not hold), as a source
/// should. <c>/slow</c> answers after 10 s, to see a source miss its timeout.
/// </summary>
public sealed class LocalPreCallSources : IAsyncDisposable
{
    /// <summary>The example's callers: Dana (the fixture pre-call request's number) and Lee.</summary>
    private static readonly Dictionary<string, (string Crm, string Tickets)> Answers = new(StringComparer.Ordinal)
    {
        ["+15551234567"] = ("""{"plan":"enterprise","ltv":15200,"account_owner":"Sam Lee"}""", """{"open":1,"latest":"T-1042: invoice shows the wrong plan"}"""),
        ["+15557778888"] = ("""{"plan":"basic","ltv":340,"account_owner":"Ana Ruiz"}""", """{"open":0}"""),
    };

    private readonly LocalPreCallSourcesOptions _options;
    private readonly StandardWebhookVerifier _verifier;
    private LocalWebServer? _server;

    private LocalPreCallSources(LocalPreCallSourcesOptions options)
    {
        _options = options;
        _verifier = new StandardWebhookVerifier([options.Secret], TimeSpan.FromMinutes(5), options.Time);
    }

    /// <summary>Where it listens, ending in <c>/</c>: the sources are <c>{Url}crm</c> and <c>{Url}tickets</c>.</summary>
    public Uri Url { get; private set; } = null!;

    public static async Task<LocalPreCallSources> StartAsync(LocalPreCallSourcesOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sources = new LocalPreCallSources(options);
        try
        {
            sources._server = await LocalWebServer.StartAsync(options.Url, sources.HandleAsync, cancellationToken);
        }
        catch
        {
            sources._verifier.Dispose();
            throw;
        }

        sources.Url = sources._server.Root;
        return sources;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _verifier.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var path = context.Request.Path.Value ?? "/";
        var (status, body, note) = Answer(context.Request.Method, path, buffer.ToArray(), name => context.Request.Headers[name].ToString() is { Length: > 0 } v ? v : null);
        if (status == 200 && path == "/slow")
        {
            await Task.Delay(TimeSpan.FromSeconds(10), _options.Time, context.RequestAborted);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body), context.RequestAborted);
        _options.OnRequest?.Invoke(path, status, note);
    }

    private (int Status, string Body, string Note) Answer(string method, string path, byte[] body, Func<string, string?> header)
    {
        if (!HttpMethods.IsPost(method))
        {
            return (405, """{"error":"POST the caller"}""", "not a POST");
        }

        var verification = _verifier.Verify(body, header);
        if (!verification.IsValid)
        {
            return (401, """{"error":"bad signature"}""", $"signature INVALID: {verification.Failure}");
        }

        string? phone;
        try
        {
            using var request = JsonDocument.Parse(body);
            phone = request.RootElement.TryGetProperty("phone", out var p) ? p.GetString() : null;
        }
        catch (JsonException)
        {
            return (400, """{"error":"not JSON"}""", "not JSON");
        }

        var known = phone is not null && Answers.TryGetValue(phone, out var answer) ? answer : ((string, string)?)null;
        return path switch
        {
            "/crm" => (200, known?.Item1 ?? "{}", known is null ? "signature valid, unknown caller" : "signature valid, account found"),
            "/tickets" => (200, known?.Item2 ?? "{}", known is null ? "signature valid, unknown caller" : "signature valid, tickets found"),
            "/slow" => (200, "{}", "signature valid, answered after 10 s"),
            _ => (404, """{"error":"no such source: /crm, /tickets, /slow"}""", "no such source"),
        };
    }
}
