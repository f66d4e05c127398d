using System.Runtime.ExceptionServices;
using Microsoft.Azure.WebJobs.Host.Timers;
using SimpleAi.LocalHost.Invocation;

namespace SimpleAi.LocalHost.Queues;

/// <summary>
/// What the WebJobs host does with an error no function caught (a listener's poll or a message's settle failing in a
/// way the extension does not handle). The SDK's default rethrows it on a new thread, which ends the process; the
/// Functions host replaces it with a handler that logs and restarts the host. Here it is logged and recorded, so a
/// test waiting for idle names it instead of the test process dying.
/// </summary>
internal sealed class ListenerExceptionHandler(ILogger<ListenerExceptionHandler> logger, InvocationLog log)
    : IWebJobsExceptionHandler, IWebJobsExceptionHandlerFactory
{
    /// <summary>The SDK asks its factory for the handler (<c>DefaultWebJobsExceptionHandlerFactory</c> by default).</summary>
    public IWebJobsExceptionHandler Create(Microsoft.Extensions.Hosting.IHost jobHost) => this;

    public Task OnTimeoutExceptionAsync(ExceptionDispatchInfo exceptionInfo, TimeSpan timeoutGracePeriod) =>
        OnUnhandledExceptionAsync(exceptionInfo);

    public Task OnUnhandledExceptionAsync(ExceptionDispatchInfo exceptionInfo)
    {
        ArgumentNullException.ThrowIfNull(exceptionInfo);
        logger.LogError(exceptionInfo.SourceException, "Unhandled error in the WebJobs host (a listener or a message settle)");
        log.Failed(new InvocationFailure("(host)", null, 0, exceptionInfo.SourceException));
        return Task.CompletedTask;
    }
}
