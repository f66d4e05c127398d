using System.Text.Json;
using SimpleAi.Functions.Http;
using SimpleAi.Webhooks.Console;

namespace SimpleAi.Functions;

/// <summary>
/// The console (<c>/api/console/</c>): its page and files, and the JSON views the page reads and a person can script
/// against (<c>/api/console/api/…</c>). Every request passes <see cref="ConsoleAccess"/> first; changes are same-origin
/// JSON POSTs. Anonymous at the Functions level: App Service Authentication and the role check guard it in Azure.
/// </summary>
public sealed class ConsoleFunctions(
    ConsoleAccess access,
    CallsView calls,
    CallDetailView call,
    FailuresView failures,
    ConsoleReplay replay,
    ConsoleDestinations destinations,
    TimeProvider time)
{
    public const string Route = "console";
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    private static readonly JsonSerializerOptions Body = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary><c>GET /api/console/{path}</c>: the page (<c>index.html</c> for any path without a file) and its files.</summary>
    [Function(nameof(ConsoleFiles))]
    public async Task<IActionResult> ConsoleFiles([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route + "/{*path}")] HttpRequest request, string? path)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Refused(request, change: false) is { } refused)
        {
            return refused;
        }

        if (string.IsNullOrEmpty(path) && request.Path.Value?.EndsWith('/') != true)
        {
            // The page's relative addresses (js/app.js, api/calls) resolve under /api/console/ only.
            return new RedirectResult(request.PathBase + request.Path + "/");
        }

        return await ConsoleAssets.ReadAsync(path, request.HttpContext.RequestAborted) is { } file
            ? ConsoleResult.File(file.ContentType, file.Body)
            : ConsoleResult.Problem(404, "No such console file.");
    }

    /// <summary><c>GET /api/console/api/calls?from&amp;to&amp;filter&amp;q&amp;after</c>: a page of calls, newest first.</summary>
    [Function(nameof(ConsoleCalls))]
    public async Task<IActionResult> ConsoleCalls([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route + "/api/calls")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Refused(request, change: false) is { } refused)
        {
            return refused;
        }

        if (Window(request) is not { } window)
        {
            return ConsoleResult.Problem(400, "from and to must be ISO 8601 times, from before to.");
        }

        var filter = request.Query["filter"].ToString() is { Length: > 0 } f ? f : null;
        if (filter is not null && !CallsQuery.Filters.Contains(filter))
        {
            return ConsoleResult.Problem(400, $"filter must be one of {string.Join(", ", CallsQuery.Filters)}.");
        }

        var query = new CallsQuery(window.From, window.To, filter, request.Query["q"].ToString() is { Length: > 0 } q ? q : null, request.Query["after"].ToString() is { Length: > 0 } a ? a : null);
        return ConsoleResult.Of(await calls.ListAsync(query, request.HttpContext.RequestAborted));
    }

    /// <summary><c>GET /api/console/api/calls/{callId}?at=</c>: the call's transcript, deliveries, triggers and run.</summary>
    [Function(nameof(ConsoleCall))]
    public async Task<IActionResult> ConsoleCall([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route + "/api/calls/{callId}")] HttpRequest request, string callId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Refused(request, change: false) is { } refused)
        {
            return refused;
        }

        if (!Guid.TryParseExact(callId, "D", out _))
        {
            return ConsoleResult.Problem(400, "callId must be a UUID.");
        }

        DateTimeOffset? at = DateTimeOffset.TryParse(request.Query["at"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) ? when : null;
        return await call.GetAsync(callId, at, request.HttpContext.RequestAborted) is { } detail
            ? ConsoleResult.Of(detail)
            : ConsoleResult.Problem(404, $"Nothing is known of call {callId}.");
    }

    /// <summary><c>GET /api/console/api/calls/{callId}/transcript?since=N</c>: the lines stored from N on (the page polls it).</summary>
    [Function(nameof(ConsoleTranscript))]
    public async Task<IActionResult> ConsoleTranscript([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route + "/api/calls/{callId}/transcript")] HttpRequest request, string callId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Refused(request, change: false) is { } refused)
        {
            return refused;
        }

        if (!Guid.TryParseExact(callId, "D", out _) || !int.TryParse(request.Query["since"].ToString() is { Length: > 0 } s ? s : "0", NumberStyles.None, CultureInfo.InvariantCulture, out var since))
        {
            return ConsoleResult.Problem(400, "callId must be a UUID and since a non-negative integer.");
        }

        var lines = await call.ReadLinesAsync(callId, since, request.HttpContext.RequestAborted) ?? [];
        return ConsoleResult.Of(new { callId, lines, next = lines.Count == 0 ? since : lines[^1].Index + 1 });
    }

    /// <summary><c>GET /api/console/api/failures?from&amp;to</c>: failed runs grouped by step and cause, and the poison queues' depths.</summary>
    [Function(nameof(ConsoleFailures))]
    public async Task<IActionResult> ConsoleFailures([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route + "/api/failures")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Refused(request, change: false) is { } refused)
        {
            return refused;
        }

        return Window(request) is { } window
            ? ConsoleResult.Of(await failures.GetAsync(window.From, window.To, request.HttpContext.RequestAborted))
            : ConsoleResult.Problem(400, "from and to must be ISO 8601 times, from before to.");
    }

    /// <summary>
    /// <c>POST /api/console/api/replay</c> <c>{"queue": "step-x-poison" | null, "call_id": "…" | null, "confirm": false}</c>:
    /// how many messages would move; with <c>"confirm": true</c> moves them.
    /// </summary>
    [Function(nameof(ConsoleReplay))]
    public async Task<IActionResult> ConsoleReplay([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route + "/api/replay")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var decision = Decide(request, change: true);
        if (!decision.Allowed)
        {
            return ConsoleResult.Problem(decision.Status, decision.Reason!);
        }

        if (!replay.Supported)
        {
            return ConsoleResult.Problem(501, "On Service Bus replay with the CLI: simpleai-webhooks replay --queue <queue>/$deadletterqueue.");
        }

        if (await ReadAsync<ReplayRequest>(request) is not { } asked || (asked.CallId is not null && !Guid.TryParseExact(asked.CallId, "D", out _)))
        {
            return ConsoleResult.Problem(400, "The body must be {\"queue\": <poison queue or null>, \"call_id\": <uuid or null>, \"confirm\": <bool>}.");
        }

        try
        {
            return ConsoleResult.Of(await replay.RunAsync(asked, decision.Who!, request.HttpContext.RequestAborted));
        }
        catch (ArgumentException e)
        {
            return ConsoleResult.Problem(400, e.Message);
        }
    }

    /// <summary><c>GET /api/console/api/destinations</c>: every destination's state.</summary>
    [Function(nameof(ConsoleDestinations))]
    public async Task<IActionResult> ConsoleDestinations([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route + "/api/destinations")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Refused(request, change: false) ?? ConsoleResult.Of(await destinations.ListAsync(request.HttpContext.RequestAborted));
    }

    /// <summary><c>POST /api/console/api/destinations/{name}/pause</c> <c>{"reason": "…"}</c> and <c>…/resume</c> <c>{}</c>.</summary>
    [Function(nameof(ConsoleDestinationChange))]
    public async Task<IActionResult> ConsoleDestinationChange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route + "/api/destinations/{name}/{change}")] HttpRequest request, string name, string change)
    {
        ArgumentNullException.ThrowIfNull(request);
        var decision = Decide(request, change: true);
        if (!decision.Allowed)
        {
            return ConsoleResult.Problem(decision.Status, decision.Reason!);
        }

        var body = await ReadAsync<PauseBody>(request);
        if (body is null || change is not ("pause" or "resume"))
        {
            return ConsoleResult.Problem(400, "POST …/destinations/{name}/pause with {\"reason\": \"…\"}, or …/resume with {}.");
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        var known = change == "pause"
            ? await destinations.PauseAsync(name, string.IsNullOrWhiteSpace(body.Reason) ? "no reason given" : body.Reason.Trim(), decision.Who!, cancellationToken)
            : await destinations.ResumeAsync(name, decision.Who!, cancellationToken);
        return known
            ? ConsoleResult.Of((await destinations.ListAsync(cancellationToken)).First(d => d.Name == name))
            : ConsoleResult.Problem(404, $"No destination is named '{name}'.");
    }

    private ConsoleResult? Refused(HttpRequest request, bool change) =>
        Decide(request, change) is { Allowed: false } decision ? ConsoleResult.Problem(decision.Status, decision.Reason!) : null;

    private ConsoleAccessDecision Decide(HttpRequest request, bool change)
    {
        var headers = request.Headers;
        var host = headers.GetSingle("X-Forwarded-Host") ?? headers.GetSingle("DISGUISED-HOST") ?? request.Host.Value ?? string.Empty;
        var scheme = headers.GetSingle("X-Forwarded-Proto") ?? request.Scheme;
        return access.Decide(new ConsoleRequest(
            change,
            headers.GetSingle(PrincipalHeader),
            request.HttpContext.Connection.RemoteIpAddress,
            headers.Origin.ToString() is { Length: > 0 } origin ? origin : null,
            $"{scheme}://{host}",
            request.ContentType,
            headers.ContainsKey("X-Forwarded-For")));
    }

    /// <summary>From <c>from</c> and <c>to</c> (ISO 8601), by default the last 24 hours.</summary>
    private (DateTimeOffset From, DateTimeOffset To)? Window(HttpRequest request)
    {
        var now = time.GetUtcNow();
        var to = now.AddMinutes(1);
        var from = now.AddHours(-24);
        if ((request.Query["to"].ToString() is { Length: > 0 } t && !DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out to))
            || (request.Query["from"].ToString() is { Length: > 0 } f && !DateTimeOffset.TryParse(f, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out from))
            || from >= to)
        {
            return null;
        }

        return (from, to);
    }

    private static async Task<T?> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Body, request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record PauseBody(string? Reason);
}
