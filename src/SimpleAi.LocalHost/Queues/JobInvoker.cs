using System.ComponentModel;
using Microsoft.Azure.WebJobs;
using SimpleAi.LocalHost.Invocation;
using WorkerScheduleStatus = Microsoft.Azure.Functions.Worker.ScheduleStatus;
using WorkerTimerInfo = Microsoft.Azure.Functions.Worker.TimerInfo;

namespace SimpleAi.LocalHost.Queues;

/// <summary>
/// What every method of the generated job type forwards to (see <see cref="JobTypeGenerator"/>): turns what the WebJobs
/// listener bound (the queue message, the timer's info) into what the worker would give the function, and invokes it.
/// Public only because generated code calls it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class JobInvoker
{
    private readonly IReadOnlyList<FunctionInvoker> _functions;

    internal JobInvoker(IReadOnlyList<FunctionInvoker> functions) => _functions = functions;

    /// <summary>
    /// Invokes function number <paramref name="function"/> (its index in the generated type) with the listener's trigger
    /// value and the binding data the trigger bound (<paramref name="binder"/>), as the worker would receive it.
    /// </summary>
    public Task InvokeAsync(int function, object trigger, IBinder binder, CancellationToken cancellationToken)
    {
        var invoker = _functions[function];
        var bindingData = WorkerBindingData.From(((Binder)binder).BindingData);
        return trigger switch
        {
            QueueMessage message => invoker.InvokeAsync(new Invocation.Invocation(
                message, bindingData, new HandledMessage(((QueueTriggerBinding)invoker.Function.Trigger).QueueName, message.MessageId, message.DequeueCount),
                null, null, cancellationToken)),
            Microsoft.Azure.WebJobs.TimerInfo timer => invoker.InvokeAsync(new Invocation.Invocation(
                WorkerTimer(timer), bindingData, null, null, null, cancellationToken)),
            _ => throw new InvalidOperationException($"Function {invoker.Function}: unexpected trigger value {trigger.GetType()}."),
        };
    }

    private static WorkerTimerInfo WorkerTimer(Microsoft.Azure.WebJobs.TimerInfo timer) => new()
    {
        IsPastDue = timer.IsPastDue,
        ScheduleStatus = timer.ScheduleStatus is { } status
            ? new WorkerScheduleStatus { Last = status.Last, Next = status.Next, LastUpdated = status.LastUpdated }
            : null,
    };
}
