using System.CommandLine;
using System.Globalization;
using SimpleAi.Cli.Local;

namespace SimpleAi.Cli.Commands;

/// <summary>
/// <c>fake-api</c>: a local Simple AI API (<see cref="LocalSimpleAiApi"/>) until Ctrl+C, one line per request, so a
/// post-call run and live transcripts work offline.
/// </summary>
internal static class FakeApiCommand
{
    public static Command Create(CliConsole console, TimeProvider time)
    {
        var urls = LocalServerOptions.Urls(LocalSimpleAiApiOptions.DefaultUrl);
        var calls = new Option<string?>("--calls")
        {
            Description = "A call JSON file served for every uuid, or a folder of <uuid>.json files (others: 404). Default: the fixture call tests/fixtures/simple-ai/get-call-completed.json.",
        };
        var live = new Option<double>("--live-seconds")
        {
            Description = "Keep each call live this long after its first request: status in-progress, no ended_at, and one more transcript line at each GET (default 0: every call has ended).",
        };
        var command = new Command("fake-api", """
            Serve a local Simple AI API: GET /api/v1/calls/{uuid} answers the call with the asked uuid as its simple_uuid.
            Any Authorization header is accepted (none: 401); a malformed uuid is 404. One line per request; Ctrl+C stops.
            Point the app at it with SimpleAi__BaseUrl=http://127.0.0.1:5080/api/v1/ and any SimpleAi__ApiKey but the sample's placeholder.
            A live call (--live-seconds) lets call.transcript_update events fetch a growing transcript; fetch-call waits for it to end.
            Example: simpleai-webhooks fake-api --live-seconds 60
            """)
        {
            urls, calls, live,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var url = LocalServerOptions.ParseUrl(parse.GetValue(urls));
            var liveSeconds = parse.GetValue(live) is >= 0 and var seconds ? seconds : throw new UsageException("--live-seconds must not be negative");
            var options = new LocalSimpleAiApiOptions
            {
                Url = url,
                Calls = parse.GetValue(calls),
                LiveFor = TimeSpan.FromSeconds(liveSeconds),
                Time = time,
                OnRequest = request => LocalServerOptions.WriteLine(console.Out, Line(request, time)),
            };
            await using var api = await LocalServerOptions.StartAsync(() => LocalSimpleAiApi.StartAsync(options, cancellationToken), url);
            var serving = options.Calls is null ? "the fixture call" : Directory.Exists(options.Calls) ? $"the calls in {options.Calls}" : options.Calls;
            var liveness = liveSeconds > 0
                ? string.Create(CultureInfo.InvariantCulture, $"each call live for {liveSeconds:0.###} s after its first request")
                : "every call ended";
            LocalServerOptions.WriteLine(console.Error, $"Simple AI API on {api.BaseUrl} serving {serving}, {liveness}. Ctrl+C stops.");
            LocalServerOptions.WriteLine(console.Error, $"Point the app at it: SimpleAi__BaseUrl={api.BaseUrl} and any SimpleAi__ApiKey but the sample's placeholder.");
            return await LocalServerOptions.UntilCancelledAsync(cancellationToken);
        });
        return command;
    }

    internal static string Line(LocalApiRequest request, TimeProvider time)
    {
        var what = request switch
        {
            { Note: { } note } => note,
            { Live: true } => $"live, transcript {request.TranscriptLines} of {request.TranscriptTotal} lines",
            _ => $"ended, transcript {request.TranscriptLines} lines",
        };
        return $"{LocalServerOptions.Clock(request.At, time)}  {request.Method} {request.Path}  {request.Status}  {what}";
    }
}
