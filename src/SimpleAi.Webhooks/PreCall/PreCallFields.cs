using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.PreCall;

/// <summary>
/// What pre-call rules read: the call (<c>direction</c>, <c>from_number</c>, <c>to_number</c>, <c>customer_number</c>,
/// <c>agent_id</c>, <c>agent_name</c>), the local time in <see cref="PreCallOptions.TimeZone"/> (<c>local_hour</c> 0-23,
/// <c>local_minute</c>, <c>local_day</c> monday…sunday, <c>local_date</c> yyyy-MM-dd), the contact
/// (<c>contact:&lt;field&gt;</c>) and each source's answer (<c>&lt;source&gt;:&lt;field&gt;</c>).
/// </summary>
public static class PreCallFields
{
    public const string ContactPrefix = "contact:";

    private const string Provider = "pre-call";

    public static readonly IReadOnlyList<string> CallNames = ["direction", "from_number", "to_number", "customer_number", "agent_id", "agent_name"];

    public static readonly IReadOnlyList<string> LocalTimeNames = ["local_hour", "local_minute", "local_day", "local_date"];

    /// <summary>The fields rules may name, with the configured sources' prefixes.</summary>
    public static IReadOnlyCollection<RuleFields> For(IEnumerable<string> sourceNames) =>
    [
        new(Provider, "the call", CallNames, [], []),
        new(Provider, "the local time", LocalTimeNames, [], []),
        new(Provider, "the contact", [], [ContactPrefix], []),
        .. sourceNames.Select(name => new RuleFields(Provider, $"the answer of source '{name}'", [], [name + ":"], [])),
    ];

    /// <summary>The call's and the local time's fields (a value the call lacks is left out).</summary>
    public static Dictionary<string, string> Of(PreCallCall call, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(call);
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        Add(data, "direction", call.Direction);
        Add(data, "from_number", call.FromNumber);
        Add(data, "to_number", call.ToNumber);
        Add(data, "customer_number", call.CustomerNumber);
        Add(data, "agent_id", call.AgentId);
        Add(data, "agent_name", call.AgentName);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        data["local_hour"] = local.Hour.ToString(CultureInfo.InvariantCulture);
        data["local_minute"] = local.Minute.ToString(CultureInfo.InvariantCulture);
        data["local_day"] = local.DayOfWeek.ToString().ToLowerInvariant();
        data["local_date"] = local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return data;
    }

    /// <summary>Adds <paramref name="fields"/> under <paramref name="prefix"/> (<c>contact:</c>, <c>crm:</c>).</summary>
    public static void AddAll(Dictionary<string, string> data, string prefix, IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var (name, value) in fields)
        {
            data[prefix + name] = value;
        }
    }

    private static void Add(Dictionary<string, string> data, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            data[name] = value;
        }
    }
}
