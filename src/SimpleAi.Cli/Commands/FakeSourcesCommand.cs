using System.CommandLine;
using SimpleAi.Cli.Local;

namespace SimpleAi.Cli.Commands;

/// <summary>
/// <c>fake-sources</c>: the worked example's pre-call sources (<see cref="LocalPreCallSources"/>: a CRM and a helpdesk)
/// until Ctrl+C, one line per request, so the sample settings' pre-call journey runs offline.
/// </summary>
internal static class FakeSourcesCommand
{
    public static Command Create(CliConsole console, TimeProvider time)
    {
        var urls = LocalServerOptions.Urls(LocalPreCallSourcesOptions.DefaultUrl);
        var secret = new Option<string>("--secret")
        {
            Description = "The whsec_ secret requests must be signed with (default: the sample settings' PreCall__Sources__<n>__Secret).",
            DefaultValueFactory = _ => LocalPreCallSourcesOptions.SampleSecret,
        };
        var command = new Command("fake-sources", """
            Serve the worked example's pre-call sources (docs/precall.md): POST /crm (plan, ltv, account_owner) and POST /tickets
            (open, latest) for the number in the request's phone; /slow answers after 10 s. Every request's signature is verified.
            local.settings.sample.json points PreCall__Sources__0 and __1 here. One line per request; Ctrl+C stops.
            Example: simpleai-webhooks fake-sources
            """)
        {
            urls, secret,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var url = LocalServerOptions.ParseUrl(parse.GetValue(urls));
            var options = new LocalPreCallSourcesOptions
            {
                Url = url,
                Secret = CliSecrets.Parse(parse.GetValue(secret)!, "--secret"),
                Time = time,
                OnRequest = (path, status, note) => LocalServerOptions.WriteLine(console.Out, $"{LocalServerOptions.Clock(time.GetUtcNow(), time)}  POST {path}  {status}  {note}"),
            };
            await using var sources = await LocalServerOptions.StartAsync(() => LocalPreCallSources.StartAsync(options, cancellationToken), url);
            LocalServerOptions.WriteLine(console.Error, $"Pre-call sources on {sources.Url}: {sources.Url}crm and {sources.Url}tickets. Ctrl+C stops.");
            return await LocalServerOptions.UntilCancelledAsync(cancellationToken);
        });
        return command;
    }
}
