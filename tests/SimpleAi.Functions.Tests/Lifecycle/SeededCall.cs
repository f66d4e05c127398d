namespace SimpleAi.Functions.Tests.Lifecycle;

/// <summary>A call the seeder wrote, and every id and number by which its data can be recognised anywhere in storage.</summary>
internal sealed record SeededCall(string CallId, DateTimeOffset StartedAt, string From, IReadOnlyList<string> EventIds)
{
    /// <summary>The call id, its events' ids, its caller's number (E.164 and without '+') and its transcript text.</summary>
    public IReadOnlyList<string> Marks => [CallId, .. EventIds, From, From.TrimStart('+'), "said by " + CallId];
}
