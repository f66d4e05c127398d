using System.Reflection;
using System.Reflection.Emit;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Host;

namespace SimpleAi.LocalHost.Queues;

/// <summary>
/// Generates, at run time, the job type the WebJobs SDK indexes: one method per queue or timer function, carrying
/// <c>[FunctionName]</c> and <c>[QueueTrigger(queue, Connection = …)]</c> or <c>[TimerTrigger(schedule)]</c>, and an
/// <see cref="IBinder"/> for the trigger's binding data, each forwarding to <see cref="JobInvoker"/>. This is what the Functions host does for every function it loads: its
/// descriptor providers (azure-functions-host <c>src/WebJobs.Script/Description/FunctionDescriptorProvider.cs</c>,
/// <c>Workers/WorkerFunctionDescriptorProvider.cs</c>) turn each binding of the metadata into attribute builders, and
/// <c>src/WebJobs.Script/Description/FunctionGenerator.cs</c> emits a type whose methods carry them and call the
/// function's invoker (for an isolated worker, the gRPC dispatch to the worker). Here the invoker calls the worker's
/// function class in process instead. Instance methods (not the host's static ones): every host gets its own type and
/// invoker, so several hosts can run in one process.
/// </summary>
internal static class JobTypeGenerator
{
    public static Type Generate(IReadOnlyList<LocalFunction> functions)
    {
        var name = new AssemblyName("SimpleAi.LocalHost.Jobs" + Guid.NewGuid().ToString("N"));
        var module = AssemblyBuilder.DefineDynamicAssembly(name, AssemblyBuilderAccess.Run).DefineDynamicModule(name.Name!);
        var type = module.DefineType("SimpleAi.LocalHost.Jobs.Functions", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class);
        var invoker = type.DefineField("_invoker", typeof(JobInvoker), FieldAttributes.Private | FieldAttributes.InitOnly);

        var constructor = type.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, [typeof(JobInvoker)]);
        var il = constructor.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, typeof(object).GetConstructor(Type.EmptyTypes)!);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Stfld, invoker);
        il.Emit(OpCodes.Ret);

        var invoke = typeof(JobInvoker).GetMethod(nameof(JobInvoker.InvokeAsync))!;
        for (var i = 0; i < functions.Count; i++)
        {
            var (triggerType, triggerAttribute) = TriggerOf(functions[i]);
            // Named after the function (the host logs "Executing 'Functions.<method>'"), made a valid identifier.
            var method = type.DefineMethod(
                $"{string.Concat(functions[i].Name.Select(c => char.IsLetterOrDigit(c) ? c : '_'))}_{i}", MethodAttributes.Public, typeof(Task), [triggerType, typeof(IBinder), typeof(CancellationToken)]);
            method.SetCustomAttribute(new CustomAttributeBuilder(
                typeof(FunctionNameAttribute).GetConstructor([typeof(string)])!, [functions[i].Name]));
            method.DefineParameter(1, ParameterAttributes.None, "trigger").SetCustomAttribute(triggerAttribute);
            // As the host's generated methods: the binder whose BindingData is what the trigger bound (FunctionDescriptorProvider's _binder).
            method.DefineParameter(2, ParameterAttributes.None, "binder");
            method.DefineParameter(3, ParameterAttributes.None, "cancellationToken");

            il = method.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldfld, invoker);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldarg_2);
            il.Emit(OpCodes.Ldarg_3);
            il.Emit(OpCodes.Callvirt, invoke);
            il.Emit(OpCodes.Ret);
        }

        return type.CreateType();
    }

    private static (Type Type, CustomAttributeBuilder Attribute) TriggerOf(LocalFunction function) => function.Trigger switch
    {
        QueueTriggerBinding queue => (typeof(QueueMessage), new CustomAttributeBuilder(
            typeof(QueueTriggerAttribute).GetConstructor([typeof(string)])!,
            [queue.QueueName],
            [typeof(QueueTriggerAttribute).GetProperty(nameof(QueueTriggerAttribute.Connection))!],
            [queue.Connection])),
        TimerTriggerBinding timer => (typeof(TimerInfo), new CustomAttributeBuilder(
            typeof(TimerTriggerAttribute).GetConstructor([typeof(string)])!,
            [timer.Schedule],
            [
                typeof(TimerTriggerAttribute).GetProperty(nameof(TimerTriggerAttribute.RunOnStartup))!,
                typeof(TimerTriggerAttribute).GetProperty(nameof(TimerTriggerAttribute.UseMonitor))!,
            ],
            [timer.RunOnStartup, timer.UseMonitor])),
        _ => throw new InvalidOperationException($"Function {function}: the WebJobs listeners run queue and timer triggers only."),
    };
}

/// <summary>Hands the WebJobs host the generated job type to index (<see cref="ITypeLocator"/>) and its instances (<see cref="IJobActivator"/>).</summary>
internal sealed class GeneratedJobs(Type jobType, JobInvoker invoker) : ITypeLocator, IJobActivator
{
    private readonly object _instance = Activator.CreateInstance(jobType, invoker)!;

    public IReadOnlyList<Type> GetTypes() => [jobType];

    public T CreateInstance<T>() =>
        typeof(T) == jobType ? (T)_instance : throw new InvalidOperationException($"The WebJobs host asked for {typeof(T)}, not a generated job type.");
}
