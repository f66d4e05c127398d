namespace SimpleAi.Webhooks.Storage;

/// <summary>What an optimistic update decided on the row it read: answer without writing, or write a change, then answer.</summary>
public readonly record struct ETagDecision<TChange, TResult>(TResult Result, bool Writes, TChange? Change)
{
    public static ETagDecision<TChange, TResult> Answer(TResult result) => new(result, false, default);

    public static ETagDecision<TChange, TResult> Write(TChange change, TResult result) => new(result, true, change);
}
