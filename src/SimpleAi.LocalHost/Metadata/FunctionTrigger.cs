namespace SimpleAi.LocalHost.Metadata;

/// <summary>The trigger binding of a function, as functions.metadata describes it; <paramref name="ParameterName"/> names the method's parameter it binds.</summary>
public abstract record FunctionTrigger(string ParameterName);
