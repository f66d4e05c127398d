namespace SimpleAi.Webhooks.Rules;

/// <summary>
/// What a step's conditions come to on a run's data: they hold (the step runs), or not (it is skipped). A skip
/// caused by a field the conditions could not use carries that <see cref="Miss"/>; a plain false carries none.
/// </summary>
public sealed record RuleVerdict(bool Holds, FieldMiss? Miss = null)
{
    public static readonly RuleVerdict True = new(true);

    public static readonly RuleVerdict False = new(false);

    public static RuleVerdict Of(bool holds) => holds ? True : False;

    public static RuleVerdict Missed(FieldMiss miss) => new(false, miss);
}
