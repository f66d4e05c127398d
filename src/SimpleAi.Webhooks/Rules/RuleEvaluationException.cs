namespace SimpleAi.Webhooks.Rules;

/// <summary>A rule needs a field the run's data does not have, or cannot compare it: never a silent true.</summary>
public sealed class RuleEvaluationException : Exception
{
    public RuleEvaluationException()
    {
    }

    public RuleEvaluationException(string message)
        : base(message)
    {
    }

    public RuleEvaluationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
