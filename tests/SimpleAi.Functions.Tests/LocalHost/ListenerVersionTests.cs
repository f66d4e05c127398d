using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace SimpleAi.Functions.Tests.LocalHost;

/// <summary>
/// The queue listener the real Functions host loads and the one the local host (and so every test) runs are two
/// versions of one package: this names both and fails when either moves, so a bump is looked at, not discovered.
/// </summary>
/// <remarks>
/// <para>Asked: the worker extension <c>Microsoft.Azure.Functions.Worker.Extensions.Storage.Queues</c> 5.5.5 declares
/// <c>[ExtensionInformation("Microsoft.Azure.WebJobs.Extensions.Storage.Queues", "5.3.8")]</c>; the build writes it into
/// <c>obj/…/WorkerExtensions/WorkerExtensions.csproj</c>, and a build with nuget.org restores exactly 5.3.8 into
/// <c>.azurefunctions</c>, which the host loads. (On this machine only 5.3.10 restores, so that restore resolves up to
/// 5.3.10 with NU1603: a package built here carries 5.3.10.) Run: <c>Directory.Packages.props</c> pins 5.3.10.</para>
/// <para>What differs, read from the extension's CHANGELOG.md (Azure/azure-sdk-for-net,
/// sdk/storage/Microsoft.Azure.WebJobs.Extensions.Storage.Queues; the 5.3.9 and 5.3.10 entries from the one in the
/// 5.3.10 package) and the pull requests behind 5.3.9 (Azure/azure-sdk-for-net#57518, #61833, both in
/// sdk/storage/Microsoft.Azure.WebJobs.Extensions.Storage.Common/src/Shared/Queues/QueueMetricsProvider.cs):</para>
/// <list type="bullet">
/// <item>5.3.9: scale metrics peek the queue with <c>QueueMessageEncoding.None</c>, so a message the configured encoding
/// cannot decode no longer reads as an empty queue. With our <c>messageEncoding: none</c> nothing fails to decode: no
/// difference for us.</item>
/// <item>5.3.9: a failed or empty peek keeps <c>ApproximateMessagesCount</c> as the queue length instead of 0. Scale
/// metrics only (the platform's scaler, which the local host does not run): on 5.3.8 in Azure a failed peek can report
/// an empty queue and let the app scale in early; our messages are not lost, only picked up later.</item>
/// <item>5.3.9: scale warnings are logged through <c>LogFunctionScaleWarning</c>; 5.3.10: "bug fixes to improve
/// quality", not itemised.</item>
/// </list>
/// <para>For the listener settings we use (host.json <c>extensions.queues</c>: maxDequeueCount 5, visibilityTimeout
/// 00:00:30, batchSize 16, newBatchThreshold 8, maxPollingInterval 00:00:02, messageEncoding none) no entry between
/// 5.3.8 and 5.3.10 touches the listener, the queue processor or <c>QueuesOptions</c>; the 5.3.8 fix (maxDequeueCount no
/// longer applied to messages of a <c>-poison</c> queue itself) is in both, and the app triggers on no poison queue.
/// Unverified: what 5.3.10's unlisted fixes are (the indexed sources predate the 5.3.x tags, and no 5.3.8 assembly is
/// on this machine to compare).</para>
/// </remarks>
public sealed partial class ListenerVersionTests
{
    private const string ExtensionPackage = "Microsoft.Azure.WebJobs.Extensions.Storage.Queues";

    /// <summary>The pair the note above was written for.</summary>
    private const string KnownAsked = "5.3.8";
    private const string KnownRun = "5.3.10";

    [Fact]
    public void TheRealHostIsAsked5_3_8_AndTheLocalHostRuns5_3_10()
    {
        var asked = typeof(Microsoft.Azure.Functions.Worker.QueueTriggerAttribute).Assembly.GetCustomAttributes<ExtensionInformationAttribute>()
            .Single(a => a.ExtensionPackage == ExtensionPackage).ExtensionVersion;
        // The assembly whose listeners the local host starts (its QueuesOptions is the extension's).
        var run = typeof(Microsoft.Azure.WebJobs.Host.QueuesOptions).Assembly;
        var runVersion = run.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

        Assert.Equal(ExtensionPackage, run.GetName().Name);
        Assert.True(
            (asked, runVersion) == (KnownAsked, KnownRun),
            $"The real host is asked for {ExtensionPackage} {asked} and the local host runs {runVersion}, not {KnownAsked} and {KnownRun}: "
            + "read the extension's CHANGELOG between the two for host.json's extensions.queues settings and the poison "
            + "queue, then update this test's note and pair.");
    }

    /// <summary>The build asks the host for what the worker extension declares (what the note above says it does).</summary>
    [Fact]
    public void TheBuildsWorkerExtensionsProject_AsksForTheDeclaredVersion()
    {
        var declared = typeof(Microsoft.Azure.Functions.Worker.QueueTriggerAttribute).Assembly.GetCustomAttributes<ExtensionInformationAttribute>()
            .Single(a => a.ExtensionPackage == ExtensionPackage).ExtensionVersion;
        var configuration = BuildConfiguration().Match(AppContext.BaseDirectory).Groups["configuration"].Value;
        var project = Path.Combine(RepoPaths.Root, "src", "SimpleAi.Functions", "obj", configuration, "net10.0", "WorkerExtensions", "WorkerExtensions.csproj");

        var reference = XDocument.Load(project).Descendants("PackageReference").Single(r => (string?)r.Attribute("Include") == ExtensionPackage);

        Assert.Equal(declared, (string?)reference.Attribute("Version"));
    }

    /// <summary>The configuration of this test build, from its output folder (<c>bin/&lt;configuration&gt;/net10.0</c>).</summary>
    [GeneratedRegex(@"[\\/]bin[\\/](?<configuration>[^\\/]+)[\\/]net10\.0[\\/]?$")]
    private static partial Regex BuildConfiguration();
}
