using System.Globalization;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Azure.WebJobs.Host.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SimpleAi.Webhooks.Actions;

namespace SimpleAi.Testing;

/// <summary>
/// What a test runs the app with, said in the order it is applied: <see cref="WorkflowHarness.Create"/>, then
/// <c>With…</c> calls, then <see cref="StartAsync"/>. Unchanged, it is the a, b, c workflow of recording steps on fast
/// queues, with the queues emptied and the destinations forgotten at start.
/// </summary>
/// <remarks>
/// The workflow, the API, the action endpoints and the transcript window are typed; any other app setting goes through
/// <see cref="WithSetting"/> under the name a user writes in local.settings.json.
/// </remarks>
public sealed class WorkflowHarnessBuilder
{
    private readonly string _storageConnection;
    private readonly List<Action<Dictionary<string, string?>>> _settings = [];
    private readonly List<Action<IServiceCollection>> _services = [];
    private readonly List<Action<QueuesOptions>> _queues = [];
    private readonly List<Type> _functionTypes = [];
    private IQueueProcessorFactory? _queueProcessors;
    private bool _secondInstance;

    internal WorkflowHarnessBuilder(string storageConnection)
    {
        ArgumentException.ThrowIfNullOrEmpty(storageConnection);
        _storageConnection = storageConnection;
    }

    /// <summary>The workflow is <paramref name="steps"/> in this order, without conditions (none: no step at all), instead of a, b, c.</summary>
    public WorkflowHarnessBuilder WithSteps(params string[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        _settings.Add(values =>
        {
            foreach (var key in values.Keys.Where(k => k.StartsWith("Workflow:Steps", StringComparison.Ordinal)).ToList())
            {
                values.Remove(key);
            }

            for (var i = 0; i < steps.Length; i++)
            {
                values[$"Workflow:Steps:{i}:Step"] = steps[i];
            }
        });
        return this;
    }

    /// <summary>A settings file as written (a README's or docs' block): its workflow replaces a, b, c; its other settings are set.</summary>
    public WorkflowHarnessBuilder WithWorkflow(IConfiguration file)
    {
        ArgumentNullException.ThrowIfNull(file);
        WithSteps();
        _settings.Add(values =>
        {
            foreach (var (key, value) in file.AsEnumerable().Where(s => s.Value is not null))
            {
                values[key] = value;
            }
        });
        return this;
    }

    /// <summary>Adds a condition to <paramref name="step"/> of the workflow as configured so far: it runs only when <paramref name="field"/> <paramref name="op"/> <paramref name="value"/> holds.</summary>
    public WorkflowHarnessBuilder When(string step, string field, string op, string value)
    {
        _settings.Add(values =>
        {
            var prefix = $"{StepKey(values, step)}:When:";
            var index = values.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && k.EndsWith(":Field", StringComparison.Ordinal)).Count();
            values[$"{prefix}{index}:Field"] = field;
            values[$"{prefix}{index}:Op"] = op;
            values[$"{prefix}{index}:Value"] = value;
        });
        return this;
    }

    /// <summary>Removes the conditions <paramref name="step"/> has so far (from a workflow file): it runs on every call until <see cref="When"/> adds some.</summary>
    public WorkflowHarnessBuilder WithoutConditions(string step)
    {
        _settings.Add(values =>
        {
            var prefix = $"{StepKey(values, step)}:When";
            foreach (var key in values.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                values.Remove(key);
            }
        });
        return this;
    }

    /// <summary>The SimpleAI API the app fetches calls from (<c>SimpleAi:BaseUrl</c>), such as a fake server's <c>api/v1</c>.</summary>
    public WorkflowHarnessBuilder WithSimpleAiApi(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return WithSetting("SimpleAi:BaseUrl", baseUrl.ToString());
    }

    /// <summary>Where the action step <paramref name="step"/> posts and the secret it signs with (<c>Actions:&lt;step&gt;:Url</c> and <c>:Secret</c>).</summary>
    public WorkflowHarnessBuilder WithAction(string step, Uri url, string secret)
    {
        ArgumentNullException.ThrowIfNull(url);
        var section = ActionEndpointOptions.SectionOf(step);
        return WithSetting($"{section}:Url", url.ToString()).WithSetting($"{section}:Secret", secret);
    }

    /// <summary>How long transcript updates of a call are gathered before one fetch (<c>Transcripts:CoalesceMilliseconds</c>).</summary>
    public WorkflowHarnessBuilder WithTranscriptCoalescing(TimeSpan window) =>
        WithSetting("Transcripts:CoalesceMilliseconds", ((long)window.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));

    /// <summary>Sets the app setting <paramref name="key"/> as a user writes it (<c>Destinations:RecheckSeconds</c>); null leaves it unset.</summary>
    public WorkflowHarnessBuilder WithSetting(string key, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _settings.Add(values => values[key] = value);
        return this;
    }

    /// <summary>Changes to the app's services after its own registrations: test steps, decorated stores, counting pipelines.</summary>
    public WorkflowHarnessBuilder WithServices(Action<IServiceCollection> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _services.Add(configure);
        return this;
    }

    /// <summary>Function classes of test-only steps, listened to next to those of a, b and c.</summary>
    public WorkflowHarnessBuilder WithFunctions(params Type[] functionClasses)
    {
        ArgumentNullException.ThrowIfNull(functionClasses);
        _functionTypes.AddRange(functionClasses);
        return this;
    }

    /// <summary>Changes to the queue options after <see cref="WorkflowHarness.FastQueues"/> (host.json's own timings, a longer visibility).</summary>
    public WorkflowHarnessBuilder WithQueues(Action<QueuesOptions> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _queues.Add(change);
        return this;
    }

    /// <summary><paramref name="faults"/> in the app's storage pipelines and around the host's deletes.</summary>
    public WorkflowHarnessBuilder WithFaults(StorageFaults faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        _services.Add(services => faults.Register(services, _storageConnection));
        _queueProcessors = faults.QueueProcessors;
        return this;
    }

    /// <summary>A second instance of an app already running on the same storage: its queues and destinations are left as they are.</summary>
    public WorkflowHarnessBuilder AsSecondInstance()
    {
        _secondInstance = true;
        return this;
    }

    public Task<WorkflowHarness> StartAsync()
    {
        var values = TestApp.Settings(_storageConnection);
        for (var i = 0; i < WorkflowHarness.Steps.Length; i++)
        {
            values[$"Workflow:Steps:{i}:Step"] = WorkflowHarness.Steps[i];
        }

        foreach (var change in _settings)
        {
            change(values);
        }

        return WorkflowHarness.StartAsync(
            _storageConnection,
            values,
            services => _services.ForEach(configure => configure(services)),
            queues => _queues.ForEach(change => change(queues)),
            _queueProcessors,
            clearQueues: !_secondInstance,
            _functionTypes);
    }

    private static string StepKey(Dictionary<string, string?> values, string step)
    {
        for (var i = 0; values.TryGetValue($"Workflow:Steps:{i}:Step", out var name); i++)
        {
            if (name == step)
            {
                return $"Workflow:Steps:{i}";
            }
        }

        throw new InvalidOperationException($"the workflow has no step '{step}' for a condition: name it in WithSteps or WithWorkflow first");
    }
}
