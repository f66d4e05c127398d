using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SimpleAi.Cli.Commands;

/// <summary>
/// <c>precall --from &lt;number&gt; [--to] [--agent] [--direction]</c>: asks a running app's pre-call hook as Simple AI
/// would (<c>Authorization: Bearer</c>, the same JSON), with <c>?explain=true</c> so the answer also holds the journey,
/// and prints the parameters and each source's outcome and time, each computed parameter's rule and the
/// transformation's outcome.
/// </summary>
internal static class PreCallCommand
{
    public const string TokenSetting = "PreCall__BearerToken";

    public static Command Create(CliConsole console)
    {
        var from = new Option<string>("--from") { Description = "The caller's number (the customer's, for an inbound call).", Required = true };
        var to = new Option<string>("--to") { Description = "The number called.", DefaultValueFactory = _ => "+15557654321" };
        var agent = new Option<string>("--agent") { Description = "The agent's name.", DefaultValueFactory = _ => "Support Agent" };
        var agentId = new Option<string>("--agent-id") { Description = "The agent's id.", DefaultValueFactory = _ => "8b0f6a52-3c1e-4f57-9a0d-2d4b7c9e1f10" };
        var direction = new Option<string>("--direction") { Description = "inbound (the customer is --from) or outbound (the customer is --to).", DefaultValueFactory = _ => "inbound" };
        var url = new Option<string>("--url") { Description = "The app's pre-call hook.", DefaultValueFactory = _ => "http://localhost:7071/api/precall" };
        var token = new Option<string?>("--token") { Description = $"The bearer token (default: {TokenSetting} from the environment, else from --settings / local.settings.json)." };
        var settings = CliOptions.Settings();
        var json = new Option<bool>("--json") { Description = "Print the app's answer as JSON." };
        var command = new Command("precall", """
            Run the pre-call journey of a running app for a caller, as Simple AI asks it, and print what the agent would be told:
            the parameters, each source's outcome and time, the rules that fired and the transformation's outcome.
            Example: simpleai-webhooks precall --from +15551234567 --url http://localhost:7071/api/precall
            """)
        {
            from, to, agent, agentId, direction, url, token, settings, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var target = Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
                ? u
                : throw new UsageException($"--url '{parse.GetValue(url)}' is not an absolute http(s) URL");
            var way = parse.GetValue(direction) is "inbound" or "outbound" ? parse.GetValue(direction)! : throw new UsageException("--direction must be inbound or outbound");
            var bearer = parse.GetValue(token) ?? console.Environment(TokenSetting) ?? CliSettings.Value(parse.GetValue(settings), TokenSetting)
                ?? throw new UsageException($"no token: give --token, or set {TokenSetting} in the environment or local.settings.json");
            var body = JsonSerializer.SerializeToUtf8Bytes(new
            {
                call = new { from_number = parse.GetValue(from), to_number = parse.GetValue(to), direction = way, timestamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) },
                agent = new { id = parse.GetValue(agentId), name = parse.GetValue(agent) },
            }, SimpleAi.Webhooks.Json.OutboundJson.SerializerOptions);
            return await AskAsync(console, new Uri(target, "?explain=true"), bearer, body, parse.GetValue(json), cancellationToken);
        });
        return command;
    }

    private static async Task<int> AskAsync(CliConsole console, Uri url, string bearer, byte[] body, bool asJson, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await console.Error.WriteLineAsync($"error: {url.GetLeftPart(UriPartial.Path)} did not answer ({(e is HttpRequestException h ? h.HttpRequestError.ToString() : "no answer within 10 s")}): is the app running?");
            return ExitCodes.Unreachable;
        }

        using (response)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                await console.Error.WriteLineAsync($"error: the app answered {(int)response.StatusCode}: {Detail(text)}");
                return ExitCodes.Failed;
            }

            using var answer = JsonDocument.Parse(text);
            await console.Out.WriteAsync(asJson ? CliJson.Serialize(answer.RootElement) + Environment.NewLine : Text(answer.RootElement, elapsed));
            return ExitCodes.Ok;
        }
    }

    /// <summary>The answer as a person reads it.</summary>
    internal static string Text(JsonElement answer, TimeSpan roundTrip)
    {
        var text = new StringBuilder();
        var parameters = answer.GetProperty("parameters").EnumerateObject().ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"Parameters ({parameters.Count}):");
        var width = parameters.Select(p => p.Name.Length).DefaultIfEmpty(0).Max();
        foreach (var parameter in parameters)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {parameter.Name.PadRight(width)}  {(parameter.Value.ValueKind == JsonValueKind.String ? parameter.Value.GetString() : parameter.Value.GetRawText())}");
        }

        if (!answer.TryGetProperty("journey", out var journey))
        {
            return text.AppendLine("(the app did not report its journey: an app older than the precall command)").ToString();
        }

        text.AppendLine("Sources:");
        foreach (var source in journey.GetProperty("sources").EnumerateArray())
        {
            var detail = source.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? $"  ({d.GetString()})" : string.Empty;
            text.AppendLine(CultureInfo.InvariantCulture, $"  {source.GetProperty("source").GetString(),-12} {source.GetProperty("outcome").GetString(),-14} {source.GetProperty("milliseconds").GetDouble(),7:0.0} ms{detail}");
        }

        var rules = journey.GetProperty("rules").EnumerateArray().ToList();
        if (rules.Count > 0)
        {
            text.AppendLine("Rules:");
            foreach (var rule in rules)
            {
                var outcome = rule.GetProperty("outcome").GetString();
                var which = outcome == "fired" ? $" by PreCall__Rules__{rule.GetProperty("rule").GetInt32()}"
                    : rule.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? $": {r.GetString()}" : string.Empty;
                text.AppendLine(CultureInfo.InvariantCulture, $"  {rule.GetProperty("parameter").GetString(),-12} {outcome}{which}");
            }
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Transformation: {journey.GetProperty("transform").GetString()}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Answered in {journey.GetProperty("milliseconds").GetDouble():0.0} ms in the app, {roundTrip.TotalMilliseconds:0} ms here.");
        return text.ToString();
    }

    private static string Detail(string problem)
    {
        try
        {
            using var json = JsonDocument.Parse(problem);
            return json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? problem : problem;
        }
        catch (JsonException)
        {
            return problem.Length > 200 ? problem[..200] : problem;
        }
    }
}
