namespace SimpleAi.Webhooks.Lifecycle;

/// <summary>What <c>erase</c> was asked: one call (<see cref="CallId"/>) or one caller (<see cref="Number"/>, E.164).</summary>
/// <param name="AuditKey">The key of the number's hash in the audit (<see cref="ErasureAudit.NumberHash"/>); not needed for a dry run.</param>
public sealed record ErasureRequest(string? CallId, string? Number, string ErasedBy, string? AuditKey, bool DryRun);
