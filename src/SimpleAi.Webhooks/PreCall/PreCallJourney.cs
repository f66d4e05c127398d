using System.Net.Http.Json;
using SimpleAi.Webhooks.Telemetry;

namespace SimpleAi.Webhooks.PreCall;

/// <summary>
/// The pre-call journey: the <c>contacts</c> row and every HTTP source at once; what answered by the budget is merged
/// (the contact's fields bare, a source's under its name or its mapped parameters; earlier ones win a clash); then the
/// computed parameters' rules over the call, the local time, the contact and the sources; then the optional
/// transformation. The whole journey answers within <see cref="PreCallOptions.LookupBudgetMilliseconds"/>: a source
/// still asking then is abandoned (cancelled), never waited for. Each answer is recorded (<see cref="PreCallRecordStore"/>)
/// off the answer's path. Logs and metrics carry source names, outcomes and rule parameters, never a number or a value.
/// </summary>
public sealed partial class PreCallJourney
{
    public const string EnrichmentClient = "pre-call-enrichment";

    private readonly ContactStore _contacts;
    private readonly PreCallSourceClient _sources;
    private readonly PreCallRecordStore _records;
    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _time;
    private readonly ILogger<PreCallJourney> _logger;
    private readonly PreCallOptions _options;
    private readonly TimeZoneInfo _zone;
    private readonly PreCallRules _rules;
    private readonly PreCallTransform? _transform;

    public PreCallJourney(
        ContactStore contacts,
        PreCallSourceClient sources,
        PreCallRecordStore records,
        IHttpClientFactory clients,
        IOptions<PreCallOptions> options,
        IConfiguration configuration,
        TimeProvider time,
        ILogger<PreCallJourney> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_contacts, _sources, _records, _clients, _time, _logger) = (contacts, sources, records, clients, time, logger);
        _options = options.Value;
        _zone = TimeZoneInfo.FindSystemTimeZoneById(_options.TimeZone);
        _rules = PreCallRules.Compile(_options.Rules, PreCallFields.For(_options.Sources.Select(s => s.Name)));
        _transform = string.IsNullOrWhiteSpace(_options.Transform) ? null
            : PreCallTransform.TryLoad(_options.TransformPath(configuration), _options.Transform, out var transform, out var problem)
                ? transform
                : throw new InvalidOperationException(problem);
    }

    /// <summary>
    /// Time for the sources: the budget, less the transformation's time limit when there is one (rules take
    /// microseconds), so the answer is ready by the budget.
    /// </summary>
    private TimeSpan GatherBudget => TimeSpan.FromMilliseconds(_options.LookupBudgetMilliseconds) - (_transform is null ? TimeSpan.Zero : PreCallTransform.TimeLimit);

    public async Task<PreCallAnswer> RunAsync(PreCallCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var started = _time.GetTimestamp();
        var customer = call.CustomerNumber;
        if (customer.Length == 0)
        {
            LogUnusableNumber();
        }

        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var contact = customer.Length == 0 ? null : ReadContactAsync(customer, abandon.Token);
        List<Task<(SourceOutcome Outcome, IReadOnlyDictionary<string, string>? Fields)>> asked = customer.Length == 0 ? [] : _options.Sources.Select(source => _sources.AskAsync(source, call, abandon.Token)).ToList();
        var enrichment = customer.Length == 0 || _options.EnrichmentUrl is null ? null : EnrichAsync(customer, call.Body, abandon.Token);
        await GatherAsync([.. asked, .. (Task?[])[contact, enrichment]], abandon, cancellationToken);

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var data = PreCallFields.Of(call, _time.GetUtcNow(), _zone);
        var outcomes = new List<SourceOutcome>();
        if (contact is not null)
        {
            var (outcome, fields) = contact.IsCompletedSuccessfully ? contact.Result : (Late(SourceOutcome.ContactSource, started), null);
            outcomes.Add(outcome);
            Merge(parameters, fields, name => name);
            PreCallFields.AddAll(data, PreCallFields.ContactPrefix, fields ?? new Dictionary<string, string>());
        }

        for (var i = 0; i < asked.Count; i++)
        {
            var source = _options.Sources[i];
            var (outcome, fields) = asked[i].IsCompletedSuccessfully ? asked[i].Result : (Late(source.Name, started), null);
            outcomes.Add(outcome);
            if (fields is not null)
            {
                MergeSource(parameters, source, fields);
                PreCallFields.AddAll(data, source.Name + ":", fields);
            }
        }

        if (enrichment is { IsCompletedSuccessfully: true })
        {
            Merge(parameters, enrichment.Result, name => name);
        }

        var rules = _rules.Apply(data, parameters);
        var transform = Transform(call, ref parameters);
        var report = new PreCallReport(outcomes, rules, transform, _time.GetElapsedTime(started).TotalMilliseconds);
        Observe(report);
        _records.Record(new PreCallRecord(customer, call.Direction, call.AgentId, _time.GetUtcNow(), parameters, report));
        return new PreCallAnswer(parameters, report);
    }

    /// <summary>Waits for every source, or until the sources' budget runs out: then the ones still asking are cancelled.</summary>
    private async Task GatherAsync(IReadOnlyList<Task?> work, CancellationTokenSource abandon, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(work.OfType<Task>()).WaitAsync(GatherBudget, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            await abandon.CancelAsync();
            LogOverBudget(_options.LookupBudgetMilliseconds);
        }
    }

    private SourceOutcome Late(string source, long started) =>
        new(source, SourceOutcome.OverBudget, _time.GetElapsedTime(started).TotalMilliseconds, $"still asking when the {_options.LookupBudgetMilliseconds} ms budget ran out");

    private static void Merge(Dictionary<string, string> parameters, IReadOnlyDictionary<string, string>? fields, Func<string, string> name)
    {
        foreach (var (field, value) in fields ?? new Dictionary<string, string>())
        {
            parameters.TryAdd(name(field), value);
        }
    }

    /// <summary>A source's fields: its mapped parameters when it has a map, else every field as <c>{source}_{field}</c>.</summary>
    private static void MergeSource(Dictionary<string, string> parameters, PreCallSourceOptions source, IReadOnlyDictionary<string, string> fields)
    {
        if (source.Parameters.Count == 0)
        {
            Merge(parameters, fields, field => $"{source.Name}_{field}");
            return;
        }

        foreach (var (parameter, field) in source.Parameters)
        {
            if (fields.TryGetValue(field, out var value))
            {
                parameters.TryAdd(parameter, value);
            }
        }
    }

    private string Transform(PreCallCall call, ref Dictionary<string, string> parameters)
    {
        if (_transform is null)
        {
            return PreCallReport.NoTransform;
        }

        var transformed = _transform.Apply(call, parameters, out var failure, CancellationToken.None);
        if (transformed is null)
        {
            LogTransformFailed(failure!);
            return $"failed: {failure}";
        }

        parameters = transformed;
        return PreCallReport.Transformed;
    }

    /// <summary>Metrics for every source, a warning for each left out, and the reason of each rule that could not be evaluated.</summary>
    private void Observe(PreCallReport report)
    {
        foreach (var source in report.Sources)
        {
            WebhookTelemetry.PreCallSourceAnswered(source.Source, source.Outcome, source.Milliseconds);
            if (source.LeftOut)
            {
                LogSourceLeftOut(source.Source, source.Outcome, source.Detail ?? string.Empty);
            }
        }

        foreach (var rule in report.Rules.Where(r => r.Outcome == RuleOutcome.NotEvaluated))
        {
            LogRuleNotEvaluated(rule.Parameter, rule.Reason!);
        }
    }

    private async Task<(SourceOutcome, IReadOnlyDictionary<string, string>?)> ReadContactAsync(string e164, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        SourceOutcome Outcome(string outcome, string? detail = null) =>
            new(SourceOutcome.ContactSource, outcome, _time.GetElapsedTime(started).TotalMilliseconds, detail);
        try
        {
            var fields = await _contacts.FindAsync(e164, cancellationToken);
            return fields is null ? (Outcome(SourceOutcome.NotFound), null) : (Outcome(SourceOutcome.Answered), fields);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (Outcome(SourceOutcome.OverBudget), null);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or HttpRequestException)
        {
            LogLookupFailed(e);
            return (Outcome(SourceOutcome.Failed, e.GetType().Name), null);
        }
    }

    /// <summary>The single enrichment service of <see cref="PreCallOptions.EnrichmentUrl"/> (before sources existed); on error or timeout, nothing.</summary>
    private async Task<IReadOnlyDictionary<string, string>> EnrichAsync(string e164, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(_options.EnrichmentTimeoutMilliseconds);
        try
        {
            using var request = JsonDocument.Parse(body);
            using var response = await _clients.CreateClient(EnrichmentClient).PostAsJsonAsync(
                _options.EnrichmentUrl, new { phone = e164, call = request.RootElement.GetProperty("call") }, budget.Token);
            response.EnsureSuccessStatusCode();
            using var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(budget.Token), cancellationToken: budget.Token);
            return answer.RootElement.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                ? parameters.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText())
                : new Dictionary<string, string>();
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or JsonException)
        {
            LogEnrichmentFailed(_options.EnrichmentUrl!.Host, e.GetType().Name);
            return new Dictionary<string, string>();
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Pre-call lookup: the customer's number is not a usable phone number; no contact or source is asked")]
    private partial void LogUnusableNumber();

    [LoggerMessage(2, LogLevel.Warning, "Pre-call lookup: the contacts table could not be read; answered what is known")]
    private partial void LogLookupFailed(Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "Pre-call enrichment from {Host} failed ({Error}); answered without it")]
    private partial void LogEnrichmentFailed(string host, string error);

    [LoggerMessage(4, LogLevel.Warning, "Pre-call lookup: the {BudgetMilliseconds} ms budget ran out before every source answered; answered what finished")]
    private partial void LogOverBudget(int budgetMilliseconds);

    [LoggerMessage(5, LogLevel.Warning, "Pre-call source {Source} left out: {Outcome} {Detail}")]
    private partial void LogSourceLeftOut(string source, string outcome, string detail);

    [LoggerMessage(6, LogLevel.Warning, "Pre-call parameter {Parameter} left out: its rule could not be evaluated ({Reason})")]
    private partial void LogRuleNotEvaluated(string parameter, string reason);

    [LoggerMessage(7, LogLevel.Warning, "Pre-call parameters answered untransformed: {Failure}")]
    private partial void LogTransformFailed(string failure);
}

/// <summary>The parameters Simple AI gets, and how they came about.</summary>
public sealed record PreCallAnswer(IReadOnlyDictionary<string, string> Parameters, PreCallReport Report);
