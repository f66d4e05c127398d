using System.Net;

namespace SimpleAi.Webhooks.Console;

/// <summary>What the console's access check reads of a request, whatever the host.</summary>
/// <param name="Change">A POST that changes state (replay, pause, resume).</param>
/// <param name="Origin">The <c>Origin</c> header.</param>
/// <param name="Host">The request's own scheme and host, e.g. <c>https://app.azurewebsites.net</c>.</param>
/// <param name="Forwarded">Whether a proxy says it forwarded the request for someone else (<c>X-Forwarded-For</c>).</param>
public sealed record ConsoleRequest(
    bool Change, string? Principal, IPAddress? RemoteAddress, string? Origin, string Host, string? ContentType, bool Forwarded);
