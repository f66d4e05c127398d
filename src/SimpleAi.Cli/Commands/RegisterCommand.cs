using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using SimpleAi.Webhooks.SimpleAiApi;

namespace SimpleAi.Cli.Commands;

/// <summary>
/// <c>register</c>: creates a Simple AI webhook pointing at the app (<c>POST {base}/webhooks</c>), lists them
/// (<c>--list</c>) or deletes one (<c>--delete</c>), then says where the signing secret goes. Refusals are one line
/// and an exit code of their own (<see cref="ExitCodes"/>).
/// </summary>
internal static class RegisterCommand
{
    /// <summary>The event types of the create-webhook API (it spells the live transcript event <c>transcript.updated</c>).</summary>
    public static readonly string[] EventTypes = ["call.started", "call.completed", "transcript.updated"];

    public static Command Create(CliConsole console)
    {
        var apiKey = new Option<string?>("--api-key") { HelpName = "key", Description = "The Simple AI API key (default: the SimpleAi__ApiKey environment variable)." };
        var baseUrl = new Option<string?>("--base-url")
        {
            Description = $"The Simple AI API (default: SimpleAi__BaseUrl from the environment, else {new SimpleAiApiOptions().BaseUrl}).",
        };
        var authScheme = new Option<string?>("--auth-scheme")
        {
            Description = "A scheme before the key in Authorization, as SimpleAi__AuthScheme (default: the raw key, as the app sends it).",
        };
        var url = new Option<string?>("--url") { Description = "The app's webhook endpoint, e.g. https://<app>.azurewebsites.net/api/webhooks/simple-ai." };
        var events = new Option<string[]>("--events")
        {
            Description = $"Event types, comma-separated or repeated: {string.Join(", ", EventTypes)} (default: all; call.transcript_update is sent as transcript.updated).",
            Arity = ArgumentArity.OneOrMore,
        };
        var description = new Option<string?>("--description") { Description = "A description shown in the Simple AI dashboard." };
        var rateLimit = new Option<int?>("--rate-limit") { HelpName = "per-minute", Description = "At most this many deliveries per minute." };
        var disabled = new Option<bool>("--disabled") { Description = "Create the webhook disabled." };
        var list = new Option<bool>("--list") { Description = "List the webhooks instead (GET {base}/webhooks: assumed, not in Simple AI's docs)." };
        var delete = new Option<string?>("--delete") { HelpName = "endpoint_id", Description = "Delete the webhook with this endpoint_id instead (DELETE {base}/webhooks/{endpoint_id}: assumed, not in Simple AI's docs)." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the API.", DefaultValueFactory = _ => 30 };
        var json = new Option<bool>("--json") { Description = "Print the API's answer as JSON." };
        var command = new Command("register", """
            Create a Simple AI webhook that points at the app (POST {base}/webhooks), list them (--list) or delete one (--delete).
            Simple AI returns no signing secret: after creating, copy it from the dashboard into Webhook__SigningSecrets.
            --list and --delete use GET {base}/webhooks and DELETE {base}/webhooks/{endpoint_id}, which Simple AI's docs do not show (assumed).
            Exit codes: 0 done, 1 another refusal, 2 usage, 5 API key refused (401/403), 6 request rejected (422), 7 API unreachable.
            Example: simpleai-webhooks register --api-key sk_... --url https://func-abc.azurewebsites.net/api/webhooks/simple-ai --events call.completed,transcript.updated --rate-limit 600
            """)
        {
            apiKey, baseUrl, authScheme, url, events, description, rateLimit, disabled, list, delete, timeout, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var key = parse.GetValue(apiKey) ?? console.Environment("SimpleAi__ApiKey");
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new UsageException("give --api-key (or set SimpleAi__ApiKey): the Simple AI API key");
            }

            var api = ParseUrl(parse.GetValue(baseUrl) ?? console.Environment("SimpleAi__BaseUrl"), "--base-url") ?? new SimpleAiApiOptions().BaseUrl;
            var seconds = parse.GetValue(timeout) > 0 ? parse.GetValue(timeout) : throw new UsageException("--timeout must be positive");
            var listing = parse.GetValue(list);
            var deleting = parse.GetValue(delete);
            var target = ParseUrl(parse.GetValue(url), "--url");
            if ((listing ? 1 : 0) + (deleting is null ? 0 : 1) + (target is null ? 0 : 1) != 1)
            {
                throw new UsageException("give one of --url <endpoint> (create), --list, or --delete <endpoint_id>");
            }

            if (target is null && (parse.GetValue(events) is { Length: > 0 } || parse.GetValue(description) is not null || parse.GetValue(rateLimit) is not null || parse.GetValue(disabled)))
            {
                throw new UsageException("--events, --description, --rate-limit and --disabled go with --url (creating a webhook)");
            }

            using var client = new WebhooksApi(api, key, parse.GetValue(authScheme) ?? console.Environment("SimpleAi__AuthScheme"), TimeSpan.FromSeconds(seconds));
            var asJson = parse.GetValue(json);
            try
            {
                if (listing)
                {
                    var answer = await client.ListAsync(cancellationToken);
                    console.Out.WriteLine(asJson ? CliJson.Serialize(answer) : ListText(answer));
                }
                else if (deleting is not null)
                {
                    var answer = await client.DeleteAsync(deleting, cancellationToken);
                    console.Out.WriteLine(asJson && answer.ValueKind != JsonValueKind.Undefined ? CliJson.Serialize(answer) : $"deleted webhook {deleting}");
                }
                else
                {
                    var body = Body(target!, parse.GetValue(events) ?? [], parse.GetValue(description), parse.GetValue(rateLimit), parse.GetValue(disabled));
                    var answer = await client.CreateAsync(body, cancellationToken);
                    if (asJson)
                    {
                        console.Out.WriteLine(CliJson.Serialize(answer));
                    }
                    else
                    {
                        console.Out.WriteLine(CreatedText(answer, target!));
                        console.Out.WriteLine(NextSteps);
                    }
                }
            }
            catch (WebhooksApiException e)
            {
                console.Error.WriteLine($"error: {e.Message}");
                return e.ExitCode;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>What to do after creating: the secret stays in Simple AI's dashboard.</summary>
    public const string NextSteps = """
        Next: Simple AI returns no signing secret. Copy this webhook's signing secret (whsec_...) from the Simple AI dashboard into Webhook__SigningSecrets:
          locally:  "Webhook__SigningSecrets": "whsec_..." in src/SimpleAi.Functions/local.settings.json
          in Azure: the Key Vault secret webhook-signing-secrets (az keyvault secret set --vault-name <AZURE_KEY_VAULT_NAME> --name webhook-signing-secrets --value 'whsec_...'), then restart the app
        Several secrets, separated by spaces, are all accepted while you rotate.
        """;

    internal static JsonObject Body(Uri url, IEnumerable<string> events, string? description, int? rateLimit, bool disabled)
    {
        var body = new JsonObject { ["url"] = url.ToString() };
        var types = events
            .SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(e => e == "call.transcript_update" ? "transcript.updated" : e)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (types.Count > 0)
        {
            body["event_types"] = new JsonArray(types.Select(t => (JsonNode)JsonValue.Create(t)).ToArray());
        }

        if (description is not null)
        {
            body["description"] = description;
        }

        body["disabled"] = disabled;
        if (rateLimit is { } perMinute)
        {
            body["rate_limit"] = perMinute >= 1 ? perMinute : throw new UsageException("--rate-limit must be at least 1 (deliveries per minute)");
        }

        return body;
    }

    private static Uri? ParseUrl(string? value, string option) =>
        value is null
            ? null
            : Uri.TryCreate(value, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"
                ? parsed
                : throw new UsageException($"{option} '{value}' is not an absolute http(s) URL");

    private static string CreatedText(JsonElement answer, Uri target)
    {
        var id = Text(answer, "endpoint_id") ?? Text(answer, "id") ?? "(no endpoint_id in the answer)";
        var lines = new List<string>
        {
            $"created webhook {id} → {Text(answer, "url") ?? target.ToString()}",
            $"  events: {Events(answer) ?? "all"}",
        };
        if (Text(answer, "created_at") is { } created)
        {
            lines.Add($"  created: {created}");
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static string ListText(JsonElement answer)
    {
        var items = Items(answer);
        if (items.Count == 0)
        {
            return "no webhooks";
        }

        var rows = items.Select(item => new[]
        {
            Text(item, "endpoint_id") ?? Text(item, "id") ?? "-",
            Text(item, "url") ?? "-",
            Events(item) ?? "all",
            item.ValueKind == JsonValueKind.Object && item.TryGetProperty("disabled", out var d) && d.ValueKind == JsonValueKind.True ? "disabled" : "enabled",
            Text(item, "created_at") ?? "-",
        }).Prepend(["endpoint_id", "url", "events", "state", "created_at"]).ToList();
        var widths = Enumerable.Range(0, 5).Select(i => rows.Max(r => r[i].Length)).ToArray();
        return string.Join(Environment.NewLine, rows.Select(r => string.Join("  ", r.Select((cell, i) => i == r.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd()));
    }

    /// <summary>The webhooks of a list answer: an array, or the array under <c>data</c>, <c>webhooks</c>, <c>items</c> or <c>results</c>.</summary>
    private static List<JsonElement> Items(JsonElement answer)
    {
        if (answer.ValueKind == JsonValueKind.Array)
        {
            return [.. answer.EnumerateArray()];
        }

        if (answer.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in new[] { "data", "webhooks", "items", "results" })
            {
                if (answer.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    return [.. list.EnumerateArray()];
                }
            }
        }

        return [];
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    private static string? Events(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("event_types", out var types) && types.ValueKind == JsonValueKind.Array
            ? string.Join(", ", types.EnumerateArray().Select(t => t.ToString()))
            : null;
}
