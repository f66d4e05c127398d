using System.Security.Cryptography;
using SimpleAi.Cli.Local;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Signing;
using SimpleAi.Webhooks.SimpleAiApi;

namespace SimpleAi.LocalHost;

/// <summary>
/// <c>npm start</c> on the sample settings, with no Simple AI API key: instead of a workflow whose <c>fetch-call</c>
/// fails on a key Simple AI does not know, a whole call runs offline. A local Simple AI API (<see cref="LocalSimpleAiApi"/>,
/// the fixture call for any call id) stands in for Simple AI, and a local receiver (<see cref="LocalReceiver"/>, which
/// verifies each signature) for the endpoints of <c>crm-sync</c> and <c>notify</c>, which the demo adds after
/// <c>fetch-call</c> unless the workflow already names more steps. The worked example's pre-call sources
/// (<see cref="LocalPreCallSources"/>) answer for every <c>PreCall__Sources__&lt;n&gt;__Url</c> that names
/// <c>fake-sources</c>' default address (as local.settings.sample.json does). A real key (or another
/// <c>SimpleAi__BaseUrl</c>) turns the demo off. The servers listen on free loopback ports and stop with the app.
/// </summary>
public sealed class OfflineDemo : IAsyncDisposable
{
    /// <summary>The action steps the demo points at its receiver.</summary>
    public static readonly string[] Steps = [ActionStep.CrmSync, ActionStep.Notify];

    private static readonly Uri AnyPort = new("http://127.0.0.1:0");

    private readonly LocalSimpleAiApi _api;
    private readonly LocalReceiver _receiver;
    private readonly LocalPreCallSources _sources;

    private OfflineDemo(LocalSimpleAiApi api, LocalReceiver receiver, LocalPreCallSources sources, IReadOnlyDictionary<string, string?> settings)
    {
        _api = api;
        _receiver = receiver;
        _sources = sources;
        Settings = settings;
    }

    /// <summary>The settings the demo puts over the app's own: the API's base and a key, the steps and their endpoints.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public Uri ApiBaseUrl => _api.BaseUrl;

    public Uri ReceiverUrl => _receiver.Url;

    public Uri SourcesUrl => _sources.Url;

    /// <summary>True when the settings leave the app nothing real to talk to: the API key is unset or the sample's placeholder, and the API is Simple AI's own.</summary>
    public static bool IsWanted(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var key = configuration[$"{SimpleAiApiOptions.Section}:{nameof(SimpleAiApiOptions.ApiKey)}"];
        var baseUrl = configuration[$"{SimpleAiApiOptions.Section}:{nameof(SimpleAiApiOptions.BaseUrl)}"];
        return (string.IsNullOrWhiteSpace(key) || key.TrimStart().StartsWith(SecretSetting.PlaceholderPrefix, StringComparison.OrdinalIgnoreCase))
            && (string.IsNullOrWhiteSpace(baseUrl) || new Uri(baseUrl).Host == new SimpleAiApiOptions().BaseUrl.Host);
    }

    /// <summary>Starts the local Simple AI API and receiver, each line they serve written to <paramref name="logger"/>.</summary>
    public static async Task<OfflineDemo> StartAsync(IConfiguration configuration, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var api = await LocalSimpleAiApi.StartAsync(new LocalSimpleAiApiOptions
        {
            Url = AnyPort,
            OnRequest = r => logger.LogInformation("Local Simple AI: {Method} {Path} {Status}{Note}", r.Method, r.Path, r.Status, r.Note is null ? "" : $" ({r.Note})"),
        }, cancellationToken);
        try
        {
            var receiver = await LocalReceiver.StartAsync(new LocalReceiverOptions
            {
                Url = AnyPort,
                Secret = WebhookSecret.Parse(secret),
                OnDelivery = d => logger.LogInformation(
                    "Local receiver: {Step} {IdempotencyKey} try {Try}, signature {Signature}, answered {Status}",
                    d.Step, d.IdempotencyKey, d.Try, d.SignatureValid ? "valid" : "INVALID: " + d.Problem, d.Status),
            }, cancellationToken);
            var sources = await LocalPreCallSources.StartAsync(new LocalPreCallSourcesOptions
            {
                Url = AnyPort,
                OnRequest = (path, status, note) => logger.LogInformation("Local pre-call source: POST {Path} {Status} ({Note})", path, status, note),
            }, cancellationToken);
            return new OfflineDemo(api, receiver, sources, DemoSettings(configuration, api.BaseUrl, receiver.Url, sources.Url, secret));
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sources.DisposeAsync();
        await _receiver.DisposeAsync();
        await _api.DisposeAsync();
    }

    private static Dictionary<string, string?> DemoSettings(IConfiguration configuration, Uri api, Uri receiver, Uri sources, string secret)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"{SimpleAiApiOptions.Section}:{nameof(SimpleAiApiOptions.ApiKey)}"] = "offline-demo",
            [$"{SimpleAiApiOptions.Section}:{nameof(SimpleAiApiOptions.BaseUrl)}"] = api.ToString().TrimEnd('/') + "/",
        };
        var fakeSources = LocalPreCallSourcesOptions.DefaultUrl.GetLeftPart(UriPartial.Authority);
        foreach (var source in configuration.GetSection("PreCall:Sources").GetChildren())
        {
            if (Uri.TryCreate(source["Url"], UriKind.Absolute, out var url) && url.GetLeftPart(UriPartial.Authority) == fakeSources)
            {
                settings[$"{source.Path}:Url"] = new Uri(sources, url.PathAndQuery.TrimStart('/')).ToString();
            }
        }

        // The workflow.json of a fresh clone fetches the call and stops: the demo adds the two action steps after it.
        if (configuration.GetSection("Workflow:Steps:1").Exists())
        {
            return settings;
        }

        for (var i = 0; i < Steps.Length; i++)
        {
            settings[$"Workflow:Steps:{i + 1}:Step"] = Steps[i];
            settings[$"{ActionEndpointOptions.SectionOf(Steps[i])}:Url"] = new Uri(receiver, Steps[i]).ToString();
            settings[$"{ActionEndpointOptions.SectionOf(Steps[i])}:Secret"] = secret;
        }

        return settings;
    }
}
