using System.Text;
using SimpleAi.Webhooks.Actions.Transformations;
using SimpleAi.Webhooks.Json;
using SimpleAi.Webhooks.PostCall;

namespace SimpleAi.Webhooks.PreCall;

/// <summary>
/// The optional transformation of the final parameters (<c>PreCall__Transform</c>, a file relative to workflow.json):
/// <c>function handler(precall) { … return precall; }</c> gets <c>{ call, agent, parameters }</c> and returns an object
/// whose <c>parameters</c> object is the answer. It runs in the actions' sandbox with a tighter time limit
/// (<see cref="TimeLimit"/>): Simple AI waits for the answer.
/// </summary>
public sealed class PreCallTransform
{
    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(200);

    private static readonly TransformationLimits Limits = TransformationLimits.Default with { Time = TimeLimit };

    private readonly Transformation _transformation;

    private PreCallTransform(Transformation transformation) => _transformation = transformation;

    /// <summary>Loads <paramref name="name"/> (as configured) from <paramref name="path"/>; the problem when it cannot be used.</summary>
    public static bool TryLoad(string path, string name, out PreCallTransform? transform, out string? problem)
    {
        transform = Transformation.TryLoad(path, name, Limits, out var transformation, out problem) ? new PreCallTransform(transformation!) : null;
        return transform is not null;
    }

    /// <summary>The transformed parameters, or null with the <paramref name="failure"/> (the parameters stay as they were).</summary>
    public Dictionary<string, string>? Apply(PreCallCall call, IReadOnlyDictionary<string, string> parameters, out string? failure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var returned = _transformation.Run(Input(call, parameters), out failure, cancellationToken);
        if (failure is not null)
        {
            failure = $"transformation {_transformation.Name} {failure}";
            return null;
        }

        var result = returned is null ? null : Parameters(returned);
        failure = result is null ? $"transformation {_transformation.Name} returned no object with a parameters object" : null;
        return result;
    }

    private static string Input(PreCallCall call, IReadOnlyDictionary<string, string> parameters)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, OutboundJson.WriterOptions))
        {
            json.WriteStartObject();
            using var request = JsonDocument.Parse(call.Body);
            foreach (var name in (string[])["call", "agent"])
            {
                if (request.RootElement.TryGetProperty(name, out var value))
                {
                    json.WritePropertyName(name);
                    value.WriteTo(json);
                }
            }

            json.WriteStartObject("parameters");
            foreach (var (name, value) in parameters)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static Dictionary<string, string>? Parameters(string returned)
    {
        using var document = JsonDocument.Parse(returned);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("parameters", out var parameters) || parameters.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in parameters.EnumerateObject())
        {
            if (CallFacts.Text(property.Value) is { } text)
            {
                result[property.Name] = text;
            }
        }

        return result;
    }
}
