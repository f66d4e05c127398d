namespace SimpleAi.Infra.Tests;

/// <summary>
/// Tests that start whole processes (<c>dotnet run --file</c> of an azd hook): run on their own after the parallel tests
/// of this project, as SimpleAi.Functions.Tests runs its own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WholeProcessCollection
{
    public const string Name = "Whole processes";
}
