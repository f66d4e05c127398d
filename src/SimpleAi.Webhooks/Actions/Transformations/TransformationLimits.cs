namespace SimpleAi.Webhooks.Actions.Transformations;

/// <summary>What a handler may use per delivery; <see cref="Default"/> in the app (tests widen one to reach another).</summary>
internal sealed record TransformationLimits(TimeSpan Time, long MemoryBytes, int Recursion)
{
    public static readonly TransformationLimits Default =
        new(Transformation.TimeLimit, Transformation.MemoryLimitBytes, Transformation.RecursionLimit);
}
