namespace SimpleAi.LocalHost.Metadata;

/// <summary>An <c>httpTrigger</c> binding: the route template (under the host's route prefix), the methods (none: all) and the key level.</summary>
public sealed record HttpTriggerBinding(string ParameterName, string Route, IReadOnlyList<string> Methods, string AuthLevel) : FunctionTrigger(ParameterName);
