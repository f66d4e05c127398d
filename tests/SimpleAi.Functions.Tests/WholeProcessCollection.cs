namespace SimpleAi.Functions.Tests;

/// <summary>
/// Tests that start whole processes which build and run the app (<c>npm start</c>, <c>dotnet run --file</c>, MSBuild):
/// run on their own after the parallel tests, so their builds do not take the cores from the tests that measure
/// rates and latencies on this two-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WholeProcessCollection
{
    public const string Name = "Whole processes";
}
