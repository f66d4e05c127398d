using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.PreCall;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Functions;
using ServiceBus = SimpleAi.Functions.Tests.ServiceBus;

namespace SimpleAi.Infra.Tests;

/// <summary>
/// Holds infra/main.bicep together with the code: the queues, tables, containers and settings the code uses exist in
/// the template, the identity has exactly its roles, and the alerts match the app's log messages. The template is
/// compiled with the Bicep CLI restored from NuGet (infra/tools/Bicep.props), and expanded per parameter set with
/// <c>bicep snapshot</c>, which evaluates copy loops, conditions and modules into the resources a deployment would
/// create.
/// </summary>
public sealed class InfrastructureTemplateTests(InfrastructureTemplateTests.Template template)
    : IClassFixture<InfrastructureTemplateTests.Template>
{
    private const string Owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    private const string Contributor = "b24988ac-6180-42e0-ab88-20f7382dd24f";
    private const string UserAccessAdministrator = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string ServiceBusDataSender = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";
    private const string ServiceBusDataReceiver = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";
    private const string ServiceBusDataOwner = "090c5cfd-751d-490a-894a-3ce6f1109419";

    /// <summary>The deployer's object id in the Service Bus parameter set (gets Key Vault Secrets Officer only).</summary>
    private const string DeployerPrincipalId = "11111111-2222-3333-4444-555555555555";

    /// <summary>Settings of local.settings.sample.json that take another form in Azure.</summary>
    private static readonly string[] LocalOnlySettings = ["AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME", ConnectionNames.Storage];

    /// <summary>
    /// The worked example's pre-call sources and rules in local.settings.sample.json: lists a deployment sets itself
    /// (sources with the <c>preCallSources</c> parameter, rules in workflow.json), not settings every app has.
    /// </summary>
    private static bool IsPreCallList(string name) =>
        name.StartsWith("PreCall__Sources__", StringComparison.Ordinal) || name.StartsWith("PreCall__Rules__", StringComparison.Ordinal);

    private const string ConsoleRole = "Console.Operator";
    private const string ConsoleClientId = "11111111-2222-3333-4444-555555555555";

    private static readonly string[] SecretSettings = ["Webhook__SigningSecrets", "SimpleAi__ApiKey"];

    public static TheoryData<QueueTransport> Transports() => [QueueTransport.StorageQueues, QueueTransport.ServiceBus];

    [Fact]
    public void Template_CompilesToArmJson_WithLocalModulesOnly()
    {
        var compiled = template.Compiled;

        Assert.Contains("deploymentTemplate.json", compiled["$schema"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEmpty(compiled["resources"]!.AsObject());
        var registryReferences = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "infra"), "*.bicep*", SearchOption.AllDirectories)
            .Where(f => Regex.IsMatch(File.ReadAllText(f), @"['""](br|ts)[:/]"))
            .ToList();
        Assert.Empty(registryReferences);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public void EveryQueueTheCodeUses_IsProvisioned(QueueTransport transport)
    {
        var queueType = transport == QueueTransport.ServiceBus
            ? "Microsoft.ServiceBus/namespaces/queues"
            : "Microsoft.Storage/storageAccounts/queueServices/queues";
        var provisioned = template.For(transport).Names(queueType);

        Assert.All(WorkQueuesOfTheCode().SelectMany(q => new[] { q, QueueNames.PoisonOf(q) }), queue => Assert.Contains(queue, provisioned));
    }

    [Fact]
    public void ServiceBusQueues_DeadLetterAfterTheHostsTries_AndDedupeEvents()
    {
        var queues = template.For(QueueTransport.ServiceBus).Resources("Microsoft.ServiceBus/namespaces/queues")
            .ToDictionary(q => LastSegment(q), q => q["properties"]!);
        var maxDequeueCount = SimpleAi.LocalHost.HostJson.QueuesOptions(RepoPaths.HostJson).MaxDequeueCount;

        Assert.All(WorkQueuesOfTheCode(), queue =>
        {
            Assert.True(queues[queue]["deadLetteringOnMessageExpiration"]!.GetValue<bool>(), queue);
            Assert.Equal(maxDequeueCount, queues[queue]["maxDeliveryCount"]!.GetValue<int>());
        });
        Assert.True(queues[QueueNames.Events]["requiresDuplicateDetection"]!.GetValue<bool>());
        Assert.All(WorkQueuesOfTheCode(), queue => Assert.Equal(
            "P10675199DT2H48M5.4775807S", queues[QueueNames.PoisonOf(queue)]["defaultMessageTimeToLive"]!.GetValue<string>()));
        var ns = Assert.Single(template.For(QueueTransport.ServiceBus).Resources("Microsoft.ServiceBus/namespaces"));
        Assert.True(ns["properties"]!["disableLocalAuth"]!.GetValue<bool>());
        Assert.Empty(template.For(QueueTransport.ServiceBus).Resources("Microsoft.Storage/storageAccounts/queueServices/queues"));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public void EveryTableAndBlobContainerTheCodeUses_IsProvisioned(QueueTransport transport)
    {
        var snapshot = template.For(transport);

        var tables = snapshot.Names("Microsoft.Storage/storageAccounts/tableServices/tables");
        Assert.All(StorageProvisioning.Tables, table => Assert.Contains(table, tables));
        var containers = snapshot.Names("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Contains(EventBodyStore.Container, containers);
        Assert.Contains(CallSnapshotStore.Container, containers);
        Assert.Contains(RunStore.DataContainer, containers);
        // Every blob of the app expires after the days the retention sweep keeps rows (Retention__Days): one value, so
        // tables and blobs agree; run data too, since its run is purged by then.
        var rules = Assert.Single(snapshot.Resources("Microsoft.Storage/storageAccounts/managementPolicies"))["properties"]!["policy"]!["rules"]!.AsArray();
        var expiring = rules.SelectMany(rule => rule!["definition"]!["filters"]!["prefixMatch"]!.AsArray()).Select(prefix => prefix!.GetValue<string>()).ToList();
        Assert.Equal(
            new[] { EventBodyStore.Container + "/", CallSnapshotStore.Container + "/", RunStore.DataContainer + "/" }.Order(StringComparer.Ordinal),
            expiring.Order(StringComparer.Ordinal));
        Assert.All(rules, rule => Assert.Equal(
            AppSettings(snapshot)["Retention__Days"],
            rule!["definition"]!["actions"]!["baseBlob"]!["delete"]!["daysAfterModificationGreaterThan"]!.ToString()));

        // Flex Consumption deploys from a container of the same account.
        var deployment = App(snapshot)["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!;
        Assert.Equal("blobContainer", deployment["type"]!.GetValue<string>());
        var account = LastSegment(Assert.Single(snapshot.Resources("Microsoft.Storage/storageAccounts")));
        var location = deployment["value"]!.GetValue<string>();
        Assert.Contains($"storageAccounts/{account}'", location, StringComparison.Ordinal);
        Assert.Contains(containers.Except([EventBodyStore.Container, CallSnapshotStore.Container, RunStore.DataContainer]),
            c => location.EndsWith($".primaryEndpoints.blob, '{c}')]", StringComparison.Ordinal));
        Assert.Equal("UserAssignedIdentity", deployment["authentication"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public void EverySettingTheCodeReads_IsAnAppSetting(QueueTransport transport)
    {
        var settings = AppSettings(template.For(transport));
        var expected = SampleSettings().Keys.Except(LocalOnlySettings).Where(name => !IsPreCallList(name)).Concat(OptionsSettingsOfTheCode()).Distinct();

        Assert.All(expected, name => Assert.True(settings.ContainsKey(name), $"app setting {name} is missing from the Bicep"));
        Assert.All(SecretSettings, name => Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri=", settings[name], StringComparison.Ordinal));
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings.Keys);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", settings.Keys);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public void Connections_AreIdentityBased(QueueTransport transport)
    {
        var settings = AppSettings(template.For(transport));
        var connections = new List<(string Name, string[] Keys)>
        {
            ("AzureWebJobsStorage", ["blobServiceUri", "queueServiceUri", "tableServiceUri"]),
            (ConnectionNames.Storage, ["blobServiceUri", "queueServiceUri", "tableServiceUri"]),
        };
        if (transport == QueueTransport.ServiceBus)
        {
            connections.Add((ConnectionNames.ServiceBus, ["fullyQualifiedNamespace"]));
        }

        foreach (var (name, keys) in connections)
        {
            Assert.DoesNotContain(name, settings.Keys);
            Assert.Equal("managedidentity", settings[$"{name}__credential"]);
            Assert.Contains(".clientId", settings[$"{name}__clientId"], StringComparison.Ordinal);
            Assert.All(keys, key => Assert.True(settings.ContainsKey($"{name}__{key}"), $"{name}__{key}"));
        }

        Assert.DoesNotContain(settings.Values, v => v.Contains("AccountKey", StringComparison.OrdinalIgnoreCase)
            || v.Contains("SharedAccessKey", StringComparison.OrdinalIgnoreCase) || v.Contains("listKeys", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], StringComparison.Ordinal);
        Assert.True(settings.ContainsKey("APPLICATIONINSIGHTS_CONNECTION_STRING"));
        Assert.Equal(
            settings[$"{ConnectionNames.Storage}__clientId"],
            Assert.Single(Regex.Matches(settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], @"reference\([^)]*\)\.clientId"))
                .Value.Insert(0, "[") + "]");
    }

    [Fact]
    public void EveryActionStepOfTheCode_CanBeEnabled_WithItsEndpointFromKeyVault()
    {
        var snapshot = template.For(QueueTransport.ServiceBus);
        var settings = AppSettings(snapshot);
        var secrets = snapshot.Names("Microsoft.KeyVault/vaults/secrets");

        Assert.NotEmpty(ActionStepsOfTheCode());
        Assert.All(ActionStepsOfTheCode(), step =>
        {
            foreach (var part in new[] { nameof(ActionEndpointOptions.Url), nameof(ActionEndpointOptions.Secret) })
            {
                var value = settings[ActionEndpointOptions.SettingName(step, part)];
                var secret = $"action-{step}-{part.ToLowerInvariant()}";
                Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri=", value, StringComparison.Ordinal);
                Assert.Contains($"'{secret}'", value, StringComparison.Ordinal);
                Assert.Contains(secret, secrets);
            }
        });
        Assert.DoesNotContain(AppSettings(template.For(QueueTransport.StorageQueues)).Keys,
            k => k.StartsWith(ActionEndpointOptions.Section + "__", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryPreCallSource_GetsItsUrlAndSecretFromKeyVault_AndItsSettingsByIndex()
    {
        var snapshot = template.For(QueueTransport.ServiceBus);
        var settings = AppSettings(snapshot);
        var secrets = snapshot.Names("Microsoft.KeyVault/vaults/secrets");

        Assert.Equal(("crm", "open_tickets"), (settings["PreCall__Sources__0__Name"], settings["PreCall__Sources__1__Name"]));
        foreach (var (index, secretName) in new[] { (0, "crm"), (1, "open-tickets") })
        {
            foreach (var part in new[] { "Url", "Secret" })
            {
                var secret = $"precall-source-{secretName}-{part.ToLowerInvariant()}";
                Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri=", settings[PreCallSourceOptions.SettingName(index, part)], StringComparison.Ordinal);
                Assert.Contains($"'{secret}'", settings[PreCallSourceOptions.SettingName(index, part)], StringComparison.Ordinal);
                Assert.Contains(secret, secrets);
            }
        }

        Assert.Equal(("1000", "call", "800", "number", "open"), (
            settings["PreCall__Sources__0__TimeoutMilliseconds"], settings["PreCall__Sources__0__Send"],
            settings["PreCall__Sources__1__TimeoutMilliseconds"], settings["PreCall__Sources__1__Send"], settings["PreCall__Sources__1__Parameters__open_tickets"]));
        Assert.DoesNotContain(AppSettings(template.For(QueueTransport.StorageQueues)).Keys, IsPreCallList);
    }

    /// <summary>
    /// App Service refuses app setting names outside letters, digits, '.' and '_' ("AppSetting with name '…' is not
    /// allowed" on Linux plans, which Flex Consumption is), whatever the step names; the sets here enable every action step.
    /// </summary>
    [Theory]
    [InlineData(QueueTransport.StorageQueues, false)]
    [InlineData(QueueTransport.StorageQueues, true)]
    [InlineData(QueueTransport.ServiceBus, false)]
    [InlineData(QueueTransport.ServiceBus, true)]
    public void EveryAppSettingName_HoldsOnlyLettersDigitsDotsAndUnderscores(QueueTransport transport, bool vnetEnabled)
    {
        var names = AppSettings(template.For(transport, vnetEnabled)).Keys.ToList();

        if (transport == QueueTransport.ServiceBus)
        {
            Assert.Contains(names, n => n.StartsWith(ActionEndpointOptions.SettingName(ActionStep.CrmSync, ""), StringComparison.Ordinal));
            Assert.Contains(names, n => n.StartsWith("PreCall__Sources__1__Parameters__", StringComparison.Ordinal));
        }

        Assert.All(names, name => Assert.Matches("^[A-Za-z0-9._]+$", name));
        Assert.All(SampleSettings().Keys, name => Assert.Matches("^[A-Za-z0-9._]+$", name));
    }

    /// <summary>
    /// The transport the Bicep provisions is the one the app is told (Queues__Transport, checked against its build at
    /// start-up) and the output azd's build hook reads (AZURE_QUEUE_TRANSPORT; see <see cref="QueueTransportBuildTests"/>).
    /// </summary>
    [Theory]
    [MemberData(nameof(Transports))]
    public void ProvisionedTransport_IsTheAppsSetting_AndTheOutputTheBuildHookReads(QueueTransport transport)
    {
        var settings = AppSettings(template.For(transport));

        Assert.Equal(QueueTransportOptionsValidator.SpelledAsBicep(transport), settings[$"{QueueTransportOptions.Section}__{nameof(QueueTransportOptions.Transport)}"]);
        Assert.Equal("[parameters('queueTransport')]", template.Compiled["outputs"]!["AZURE_QUEUE_TRANSPORT"]!["value"]!.GetValue<string>());
        Assert.Contains("AZURE_QUEUE_TRANSPORT", File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "hooks", "QueueTransportBuild.cs")), StringComparison.Ordinal);
    }

    /// <summary>
    /// The try count and retry delay have one source, host.json (with its AzureFunctionsJobHost__ overrides), which the
    /// app reads itself: no app setting holds a copy that an override of host.json would leave behind.
    /// </summary>
    [Theory]
    [MemberData(nameof(Transports))]
    public void NoAppSetting_CopiesTheHostsTryCountOrRetryDelay(QueueTransport transport)
    {
        var settings = AppSettings(template.For(transport));

        Assert.DoesNotContain($"{WorkflowOptions.Section}__MaxDequeueCount", settings.Keys);
        Assert.DoesNotContain($"{WorkflowOptions.Section}__RetryDelaySeconds", settings.Keys);
        Assert.DoesNotContain(settings.Keys, k => k.StartsWith(HostJsonConfiguration.Root, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The connection each build's queue triggers name (the Service Bus build compiled by <see cref="ServiceBus.ServiceBusBuild"/>)
    /// has the identity-based settings its trigger reads in the template for that transport.
    /// </summary>
    [Theory]
    [MemberData(nameof(Transports))]
    public void EveryQueueTriggersConnection_HasItsIdentitySettings(QueueTransport transport)
    {
        var triggers = transport == QueueTransport.ServiceBus
            ? ServiceBus.ServiceBusBuild.TriggerConnections()
            : ServiceBus.ServiceBusBuild.Triggers(typeof(FunctionsBuild).Assembly, "QueueTriggerAttribute", "QueueName");
        var settings = AppSettings(template.For(transport));
        string[] keys = transport == QueueTransport.ServiceBus ? ["fullyQualifiedNamespace"] : ["queueServiceUri"];

        Assert.NotEmpty(triggers);
        Assert.All(triggers, trigger =>
        {
            Assert.NotNull(trigger.Value);
            Assert.Equal("managedidentity", settings.GetValueOrDefault($"{trigger.Value}__credential"));
            Assert.True(settings.ContainsKey($"{trigger.Value}__clientId"), $"{trigger.Key}: {trigger.Value}__clientId");
            Assert.All(keys, key => Assert.True(settings.ContainsKey($"{trigger.Value}__{key}"), $"{trigger.Key}: {trigger.Value}__{key}"));
        });
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public void Identity_HasExactlyItsDataRoles_AndNothingBroader(QueueTransport transport)
    {
        var snapshot = template.For(transport);
        var identity = LastSegment(Assert.Single(snapshot.Resources("Microsoft.ManagedIdentity/userAssignedIdentities")));
        var assignments = snapshot.Resources("Microsoft.Authorization/roleAssignments")
            .Select(a => (Principal: a["properties"]!["principalId"]!.GetValue<string>(), Role: RoleId(a)))
            .ToList();
        var ofIdentity = assignments.Where(a => a.Principal.Contains($"userAssignedIdentities/{identity}'", StringComparison.Ordinal)
            && a.Principal.EndsWith(".principalId]", StringComparison.Ordinal)).Select(a => a.Role).ToList();
        string[] expected = transport == QueueTransport.ServiceBus
            ? [StorageBlobDataOwner, StorageTableDataContributor, KeyVaultSecretsUser, MonitoringMetricsPublisher, ServiceBusDataSender, ServiceBusDataReceiver, ServiceBusDataOwner]
            : [StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor, KeyVaultSecretsUser, MonitoringMetricsPublisher];

        // Each role once, except Service Bus Data Owner: once per triggered queue (its scope is held below).
        Assert.Equal(expected.Order(StringComparer.Ordinal), ofIdentity.Distinct().Order(StringComparer.Ordinal));
        Assert.All(ofIdentity.Where(r => r != ServiceBusDataOwner).GroupBy(r => r), g => Assert.Single(g));
        Assert.DoesNotContain(assignments, a => a.Role is Owner or Contributor or UserAccessAdministrator);
        var others = assignments.Where(a => !ofIdentity.Contains(a.Role) || !a.Principal.Contains(identity, StringComparison.Ordinal)).ToList();
        if (transport == QueueTransport.ServiceBus)
        {
            Assert.Equal((DeployerPrincipalId, KeyVaultSecretsOfficer), Assert.Single(others));
        }
        else
        {
            Assert.Empty(others);
        }
    }

    /// <summary>
    /// The Service Bus target-based scaler reads each triggered queue's runtime properties (ServiceBusMetricsProvider:
    /// GetQueueRuntimePropertiesAsync), which needs the Manage right: Azure Service Bus Data Owner. The identity holds
    /// it on exactly the queues the Service Bus build triggers on (never on the namespace, which would let it create or
    /// delete any entity), each assignment named guid(queue id, principal, role) like the others.
    /// </summary>
    [Fact]
    public void ServiceBusIdentity_CanReadRuntimeProperties_OfEveryQueueItTriggersOn_AndNoOtherEntity()
    {
        var snapshot = template.For(QueueTransport.ServiceBus);
        var ns = Id(Assert.Single(snapshot.Resources("Microsoft.ServiceBus/namespaces")));
        var owners = snapshot.Resources("Microsoft.Authorization/roleAssignments").Where(a => RoleId(a) == ServiceBusDataOwner).ToList();
        var scopes = owners.Select(a => Regex.Match(Id(a), @"^\[extensionResourceId\('([^']+)'").Groups[1].Value).ToList();
        var triggered = ServiceBus.ServiceBusBuild.TriggerConnections().Keys.Select(q => $"{ns}/queues/{q}").ToList();

        Assert.NotEmpty(triggered);
        Assert.Equal(triggered.Order(StringComparer.Ordinal), scopes.Order(StringComparer.Ordinal));
        Assert.All(owners, a =>
        {
            var scope = Regex.Match(Id(a), @"^\[extensionResourceId\('([^']+)'").Groups[1].Value;
            Assert.Contains($"guid('{scope}', reference(", Id(a), StringComparison.Ordinal);
            Assert.EndsWith($".principalId, '{ServiceBusDataOwner}'))]", Id(a), StringComparison.Ordinal);
            Assert.Contains("userAssignedIdentities/", a["properties"]!["principalId"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("ServicePrincipal", a["properties"]!["principalType"]!.GetValue<string>());
        });
        Assert.DoesNotContain(ns, scopes);
        Assert.DoesNotContain(template.For(QueueTransport.StorageQueues).Resources("Microsoft.Authorization/roleAssignments"),
            a => RoleId(a) == ServiceBusDataOwner);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public void Resources_UseNoKeys_HttpsOnly_Tls12(QueueTransport transport)
    {
        var snapshot = template.For(transport);

        var storage = Assert.Single(snapshot.Resources("Microsoft.Storage/storageAccounts"))["properties"]!;
        Assert.False(storage["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", storage["minimumTlsVersion"]!.GetValue<string>());
        Assert.False(storage["allowBlobPublicAccess"]!.GetValue<bool>());
        var app = App(snapshot)["properties"]!;
        Assert.True(app["httpsOnly"]!.GetValue<bool>());
        Assert.Equal("1.2", app["siteConfig"]!["minTlsVersion"]!.GetValue<string>());
        Assert.Equal("Disabled", app["siteConfig"]!["ftpsState"]!.GetValue<string>());
        var publishing = snapshot.Resources("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        Assert.Equal(["ftp", "scm"], publishing.Select(p => LastSegment(p)).Order(StringComparer.Ordinal));
        Assert.All(publishing, p => Assert.False(p["properties"]!["allow"]!.GetValue<bool>()));
        var insights = Assert.Single(snapshot.Resources("Microsoft.Insights/components"))["properties"]!;
        Assert.True(insights["DisableLocalAuth"]!.GetValue<bool>());
        var vault = Assert.Single(snapshot.Resources("Microsoft.KeyVault/vaults"))["properties"]!;
        Assert.True(vault["enableRbacAuthorization"]!.GetValue<bool>());
    }

    [Fact]
    public void FunctionApp_IsFlexConsumption_DotnetIsolated10_WithTheUserAssignedIdentity()
    {
        var snapshot = template.For(QueueTransport.StorageQueues);
        var plan = Assert.Single(snapshot.Resources("Microsoft.Web/serverfarms"));
        var app = App(snapshot);

        Assert.Equal("FC1", plan["sku"]!["name"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", plan["sku"]!["tier"]!.GetValue<string>());
        var runtime = app["properties"]!["functionAppConfig"]!["runtime"]!;
        Assert.Equal("dotnet-isolated", runtime["name"]!.GetValue<string>());
        Assert.Equal("10.0", runtime["version"]!.GetValue<string>());
        Assert.Equal("UserAssigned", app["identity"]!["type"]!.GetValue<string>());
        Assert.Contains("userAssignedIdentities", app["properties"]!["keyVaultReferenceIdentity"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("api", app["tags"]!["azd-service-name"]!.GetValue<string>());
    }

    /// <summary>
    /// Always-ready instances keep the HTTP group (webhook, pre-call hook, console) warm, so the first delivery after
    /// idle does not wait for a cold start; they are billed while idle, so none by default (azd:
    /// SIMPLEAI_ALWAYS_READY_INSTANCES). Flex Consumption names the group of all HTTP triggers "http".
    /// </summary>
    [Fact]
    public void AlwaysReadyInstances_NoneByDefault_AndTheGivenCountForTheHttpGroup()
    {
        var main = Path.Combine(RepoPaths.Root, "infra", "main.bicep");
        var byDefault = App(template.For(QueueTransport.StorageQueues))["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!;
        var zero = App(template.ExpandOther(main, "always-ready-0", "param alwaysReadyInstances = 0"))["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!;
        var two = App(template.ExpandOther(main, "always-ready-2", "param alwaysReadyInstances = 2"))["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!;

        Assert.Empty(byDefault["alwaysReady"]?.AsArray() ?? []);
        Assert.Empty(zero["alwaysReady"]?.AsArray() ?? []);
        var group = Assert.Single(two["alwaysReady"]!.AsArray())!;
        Assert.Equal("http", group["name"]!.GetValue<string>());
        Assert.Equal(2, group["instanceCount"]!.GetValue<int>());
        Assert.Equal(0, template.Compiled["parameters"]!["alwaysReadyInstances"]!["defaultValue"]!.GetValue<int>());
        Assert.Equal("${SIMPLEAI_ALWAYS_READY_INSTANCES=0}", ParametersFile()["alwaysReadyInstances"]);
    }

    [Fact]
    public void ParametersFile_NamesTemplateParameters_AndEveryRequiredOne()
    {
        var declared = template.Compiled["parameters"]!.AsObject();
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "main.parameters.json")));
        var given = file.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();

        Assert.All(given, name => Assert.True(declared.ContainsKey(name), $"main.parameters.json sets unknown parameter {name}"));
        Assert.All(declared.Where(p => p.Value!["defaultValue"] is null), p => Assert.Contains(p.Key, given));
    }

    /// <summary>
    /// Alerts count with the app's metrics (never sampled), each metric they name is an instrument of the code, every
    /// instrument has a place in the workbook, and the one log-based tile matches the code's messages. That the
    /// exporter really sends these names and dimensions is held by TelemetryCaptureTests.
    /// </summary>
    [Fact]
    public void AlertsAndWorkbook_CountWithTheAppsMetrics_AndMatchItsLogMessages()
    {
        var snapshot = template.For(QueueTransport.StorageQueues);
        var alertQueries = snapshot.Resources("Microsoft.Insights/scheduledQueryRules")
            .Select(r => r["properties"]!["criteria"]!["allOf"]![0]!["query"]!.GetValue<string>().Trim())
            .ToList();
        var monitoringSource = File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "modules", "alerts.bicep"));
        var instruments = typeof(SimpleAi.Webhooks.Telemetry.WebhookTelemetry).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetValue(null)).OfType<System.Diagnostics.Metrics.Instrument>().Select(i => i.Name).ToList();
        var metricsNamed = Regex.Matches(monitoringSource, @"name == ""(simpleai\.[^""]+)""").Select(m => m.Groups[1].Value).Distinct().ToList();
        string[] runLogFragments = ["Started run ", "completed; next "];
        string[] runLogFields = ["RunId", "Step", "LastTry"];
        var templates = LogMessageTemplatesOfTheCode();

        Assert.All(alertQueries, q => Assert.StartsWith("customMetrics", q, StringComparison.Ordinal));
        Assert.All(metricsNamed, m => Assert.Contains(m, instruments));
        Assert.All(instruments, i => Assert.Contains(i, metricsNamed));
        Assert.All(runLogFragments, f => Assert.Contains(f, monitoringSource, StringComparison.Ordinal));
        Assert.All(runLogFields, f => Assert.Contains($"customDimensions[\"{f}\"]", monitoringSource, StringComparison.Ordinal));
        Assert.All(runLogFragments, f => Assert.True(
            templates.Any(t => t.Contains(f, StringComparison.Ordinal)), $"no log message of the code contains \"{f}\""));
        // A field is a placeholder of a message, or a parameter of a logging method that its text leaves out (the
        // generator still sends it, under the parameter's own name: StepRunner's LastTry).
        Assert.All(runLogFields, f => Assert.True(
            templates.Any(t => t.Contains($"{{{f}}}", StringComparison.Ordinal)) || LogParametersOfTheCode().Contains(f),
            $"no log message of the code has the field \"{f}\""));
        Assert.DoesNotMatch(@"(?m)^\s*\(?\s*requests\b", monitoringSource);
        Assert.Equal(6, alertQueries.Count);
        Assert.Single(snapshot.Resources("Microsoft.Insights/workbooks"));
    }

    [Fact]
    public void KeyVault_AfterAzdDown_IsRecoveredWithItsSecrets_InsteadOfRecreatedUnderItsTakenName()
    {
        var fresh = Assert.Single(template.For(QueueTransport.StorageQueues).Resources("Microsoft.KeyVault/vaults"));
        var redeployed = Assert.Single(template.AfterAzdDown.Resources("Microsoft.KeyVault/vaults"));
        var parameters = ParametersFile();
        var hooks = File.ReadAllText(Path.Combine(RepoPaths.Root, "azure.yaml"));

        Assert.Equal("default", fresh["properties"]!["createMode"]!.GetValue<string>());
        Assert.Equal("recover", redeployed["properties"]!["createMode"]!.GetValue<string>());
        Assert.Equal(LastSegment(fresh), LastSegment(redeployed));
        Assert.Equal("${SIMPLEAI_KEY_VAULT_CREATE_MODE=default}", parameters["keyVaultCreateMode"]);
        // The preprovision hook decides it, on every platform azd runs hooks on.
        var preprovision = hooks[hooks.IndexOf("preprovision:", StringComparison.Ordinal)..];
        Assert.Equal(2, Regex.Matches(preprovision, @"run: dotnet run --file infra/hooks/KeyVaultCreateMode\.cs").Count);
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "infra", "hooks", "KeyVaultCreateMode.cs")));
    }

    [Fact]
    public void Outputs_LeaveAzdsOwnSettingsAlone_SoAzdDownDoesNotMakeTheNextUpAskAgain()
    {
        // azd down deletes every output of the template from the environment; these are azd's inputs.
        var outputs = template.Compiled["outputs"]!.AsObject().Select(o => o.Key).ToList();

        Assert.DoesNotContain("AZURE_LOCATION", outputs);
        Assert.DoesNotContain("AZURE_RESOURCE_GROUP", outputs);
        Assert.DoesNotContain("AZURE_SUBSCRIPTION_ID", outputs);
        Assert.DoesNotContain("AZURE_ENV_NAME", outputs);
    }

    [Fact]
    public void DeployerPrincipalType_ComesFromAzd_AndIsLeftToAzureWhenAzdDoesNotSayIt()
    {
        var parameters = ParametersFile();
        var declared = template.Compiled["parameters"]!["deployerPrincipalType"]!;
        var officer = DeployerAssignment(template.For(QueueTransport.ServiceBus));
        var unnamed = DeployerAssignment(template.AfterAzdDown);

        // azd 1.17.1+ substitutes ServicePrincipal when it signed in as one (CI), User otherwise.
        Assert.Equal("${AZURE_PRINCIPAL_TYPE}", parameters["deployerPrincipalType"]);
        Assert.Equal(string.Empty, declared["defaultValue"]!.GetValue<string>());
        Assert.Equal("ServicePrincipal", officer["principalType"]!.GetValue<string>());
        Assert.Null(unnamed["principalType"]);
        Assert.Equal(KeyVaultSecretsOfficer, RoleId(DeployerAssignmentNode(template.AfterAzdDown)));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public void VnetEnabled_IntegratesTheApp_AndReachesStorageKeyVaultAndServiceBusOnlyThroughPrivateEndpoints(QueueTransport transport)
    {
        var snapshot = template.For(transport, vnetEnabled: true);
        var vnet = Assert.Single(snapshot.Resources("Microsoft.Network/virtualNetworks"));
        var storage = Assert.Single(snapshot.Resources("Microsoft.Storage/storageAccounts"));
        var vault = Assert.Single(snapshot.Resources("Microsoft.KeyVault/vaults"));
        var zones = snapshot.Resources("Microsoft.Network/privateDnsZones").ToList();
        var links = snapshot.Resources("Microsoft.Network/privateDnsZones/virtualNetworkLinks").ToList();
        var zoneGroups = snapshot.Resources("Microsoft.Network/privateEndpoints/privateDnsZoneGroups").ToList();

        // VNet integration: the app's subnet is delegated to Microsoft.App/environments (Flex Consumption).
        var subnetId = App(snapshot)["properties"]!["virtualNetworkSubnetId"]!.GetValue<string>();
        var subnet = Assert.Single(vnet["properties"]!["subnets"]!.AsArray(), s => subnetId == $"{Id(vnet)}/subnets/{s!["name"]}");
        Assert.Equal("Microsoft.App/environments", Assert.Single(subnet!["properties"]!["delegations"]!.AsArray())!["properties"]!["serviceName"]!.GetValue<string>());

        // Public network access off.
        Assert.Equal("Disabled", storage["properties"]!["publicNetworkAccess"]!.GetValue<string>());
        Assert.Equal("Deny", storage["properties"]!["networkAcls"]!["defaultAction"]!.GetValue<string>());
        Assert.Equal("Disabled", vault["properties"]!["publicNetworkAccess"]!.GetValue<string>());
        var expected = new List<(string GroupId, JsonNode Target, string Zone)>
        {
            ("blob", storage, "privatelink.blob."),
            ("queue", storage, "privatelink.queue."),
            ("table", storage, "privatelink.table."),
            ("vault", vault, "'.vaultcore.'"),
        };
        if (transport == QueueTransport.ServiceBus)
        {
            var ns = Assert.Single(snapshot.Resources("Microsoft.ServiceBus/namespaces"));
            Assert.Equal("Disabled", ns["properties"]!["publicNetworkAccess"]!.GetValue<string>());
            Assert.Equal("Premium", ns["sku"]!["name"]!.GetValue<string>()); // private endpoints need Premium
            expected.Add(("namespace", ns, "'servicebus.'"));
        }

        // A private endpoint per service, its address in a private DNS zone linked to the VNet.
        var endpoints = snapshot.Resources("Microsoft.Network/privateEndpoints").ToList();
        Assert.Equal(expected.Count, endpoints.Count);
        Assert.All(expected, e =>
        {
            var endpoint = Assert.Single(endpoints, p => p!["properties"]!["privateLinkServiceConnections"]![0]!["properties"]!["groupIds"]![0]!.GetValue<string>() == e.GroupId);
            Assert.Equal(Id(e.Target), endpoint["properties"]!["privateLinkServiceConnections"]![0]!["properties"]!["privateLinkServiceId"]!.GetValue<string>());
            Assert.StartsWith($"{Id(vnet)}/subnets/", endpoint["properties"]!["subnet"]!["id"]!.GetValue<string>(), StringComparison.Ordinal);
            var group = Assert.Single(zoneGroups, g => g["name"]!.GetValue<string>().StartsWith(endpoint["name"]!.GetValue<string>() + "/", StringComparison.Ordinal));
            var zoneId = group["properties"]!["privateDnsZoneConfigs"]![0]!["properties"]!["privateDnsZoneId"]!.GetValue<string>();
            var zone = Assert.Single(zones, z => Id(z) == zoneId);
            Assert.Contains(e.Zone, zone["name"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains(links, l => l["name"]!.GetValue<string>().Contains(zone["name"]!.GetValue<string>().Trim('[', ']'), StringComparison.Ordinal)
                && l["properties"]!["virtualNetwork"]!["id"]!.GetValue<string>() == Id(vnet));
        });
    }

    /// <summary>
    /// With the vault behind its private endpoint, App Service resolves the app settings' Key Vault references through
    /// the app's VNet integration, signed in as keyVaultReferenceIdentity: it must name the app's user-assigned identity
    /// (the app has no system identity, the default for references). On Flex Consumption the integration is
    /// virtualNetworkSubnetId alone: the App Service routing switches the Key Vault references page asks Linux apps for
    /// (vnetRouteAllEnabled, WEBSITE_VNET_ROUTE_ALL, outboundVnetRouting, vnetContentShareEnabled) are among the site
    /// properties and settings Flex Consumption deprecates, and its VNet samples (Azure-Samples
    /// functions-quickstart-dotnet-azd-service-bus, azure-functions-flex-consumption-samples) set none of them; so
    /// neither does this template (infra/README.md, "Key Vault references inside the network").
    /// </summary>
    [Theory]
    [MemberData(nameof(Transports))]
    public void VnetEnabled_KeyVaultReferences_ResolveWithTheUserAssignedIdentity_AndNoAppServiceRoutingSwitch(QueueTransport transport)
    {
        var snapshot = template.For(transport, vnetEnabled: true);
        var app = App(snapshot);
        var properties = app["properties"]!;
        var identity = Id(Assert.Single(snapshot.Resources("Microsoft.ManagedIdentity/userAssignedIdentities")));
        var settings = AppSettings(snapshot);

        Assert.Equal("UserAssigned", app["identity"]!["type"]!.GetValue<string>());
        Assert.Equal(identity, Assert.Single(app["identity"]!["userAssignedIdentities"]!.AsObject()).Key);
        Assert.Equal(identity, properties["keyVaultReferenceIdentity"]!.GetValue<string>());
        Assert.EndsWith("/subnets/app", properties["virtualNetworkSubnetId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(settings.Values, v => v.Contains("@Microsoft.KeyVault(SecretUri=", StringComparison.Ordinal));
        foreach (var routing in new[] { "vnetRouteAllEnabled", "outboundVnetRouting", "vnetContentShareEnabled", "vnetImagePullEnabled" })
        {
            Assert.Null(properties[routing]);
            Assert.Null(properties["siteConfig"]![routing]);
        }

        Assert.DoesNotContain("WEBSITE_VNET_ROUTE_ALL", settings.Keys);
        Assert.DoesNotContain("WEBSITE_CONTENTOVERVNET", settings.Keys);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public void VnetDisabled_AddsNoNetwork_AndKeepsPublicAccess(QueueTransport transport)
    {
        var snapshot = template.For(transport);

        Assert.Empty(snapshot.Resources("Microsoft.Network/virtualNetworks"));
        Assert.Empty(snapshot.Resources("Microsoft.Network/privateEndpoints"));
        Assert.Null(App(snapshot)["properties"]!["virtualNetworkSubnetId"]);
        Assert.Equal("Enabled", Assert.Single(snapshot.Resources("Microsoft.Storage/storageAccounts"))["properties"]!["publicNetworkAccess"]!.GetValue<string>());
        Assert.Equal("Enabled", Assert.Single(snapshot.Resources("Microsoft.KeyVault/vaults"))["properties"]!["publicNetworkAccess"]!.GetValue<string>());
        Assert.Equal("${VNET_ENABLED=false}", ParametersFile()["vnetEnabled"]);
    }

    [Theory]
    [InlineData(QueueTransport.StorageQueues, false)]
    [InlineData(QueueTransport.ServiceBus, false)]
    [InlineData(QueueTransport.StorageQueues, true)]
    [InlineData(QueueTransport.ServiceBus, true)]
    public void Diagnostics_SendKeyVaultAuditEventsAndStorageLogs_ToTheLogAnalyticsWorkspace(QueueTransport transport, bool vnetEnabled)
    {
        var snapshot = template.For(transport, vnetEnabled);
        var workspace = Id(Assert.Single(snapshot.Resources("Microsoft.OperationalInsights/workspaces")));
        var vault = Id(Assert.Single(snapshot.Resources("Microsoft.KeyVault/vaults")));
        var storage = Id(Assert.Single(snapshot.Resources("Microsoft.Storage/storageAccounts")));
        var settings = snapshot.Resources("Microsoft.Insights/diagnosticSettings")
            .ToDictionary(d => Id(d)[..Id(d).IndexOf("/providers/Microsoft.Insights/", StringComparison.Ordinal)], d => d["properties"]!);

        Assert.All(settings.Values, s => Assert.Equal(workspace, s["workspaceId"]!.GetValue<string>()));
        Assert.Equal(["audit"], Logs(settings[vault], "categoryGroup"));
        foreach (var service in new[] { "blobServices", "queueServices", "tableServices" })
        {
            Assert.Equal(["StorageDelete", "StorageWrite"], Logs(settings[$"{storage}/{service}/default"], "category").Order(StringComparer.Ordinal));
        }

        if (transport == QueueTransport.ServiceBus)
        {
            var ns = Id(Assert.Single(snapshot.Resources("Microsoft.ServiceBus/namespaces")));
            Assert.Equal(["OperationalLogs"], Logs(settings[ns], "category"));
            Assert.Equal(5, settings.Count);
        }
        else
        {
            Assert.Equal(4, settings.Count);
        }

        static List<string> Logs(JsonNode setting, string key) =>
            setting["logs"]!.AsArray().Where(l => l!["enabled"]!.GetValue<bool>()).Select(l => l![key]!.GetValue<string>()).ToList();
    }

    /// <summary>
    /// The console on: App Service Authentication (Microsoft Entra ID, the given app registration) on every path but the
    /// webhook and the pre-call hook, which keep their own authentication (the routes HttpFunctions serves them on, under
    /// host.json's prefix), and the role check's setting (ConsoleOptions' own name) holding the given roles.
    /// </summary>
    [Fact]
    public void ConsoleOn_SignsInWithEntraId_ExceptTheRoutesWithTheirOwnAuth_AndChecksTheGivenRoles()
    {
        var snapshot = template.Console;
        var auth = Assert.Single(snapshot.Resources("Microsoft.Web/sites/config"), c => LastSegment(c) == "authsettingsV2")["properties"]!;
        var prefix = "/" + SimpleAi.LocalHost.HostJson.RoutePrefix(RepoPaths.HostJson);

        Assert.True(auth["platform"]!["enabled"]!.GetValue<bool>());
        Assert.True(auth["globalValidation"]!["requireAuthentication"]!.GetValue<bool>());
        Assert.Equal(
            [$"{prefix}/{HttpFunctions.IngestRoute}", $"{prefix}/{HttpFunctions.PreCallRoute}"],
            auth["globalValidation"]!["excludedPaths"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(ConsoleClientId, auth["identityProviders"]!["azureActiveDirectory"]!["registration"]!["clientId"]!.GetValue<string>());
        var setting = $"{SimpleAi.Webhooks.Console.ConsoleOptions.Section}__{nameof(SimpleAi.Webhooks.Console.ConsoleOptions.AllowedRoles)}";
        Assert.Equal(ConsoleRole, AppSettings(snapshot)[setting]);
        Assert.All(AppSettings(snapshot).Keys, name => Assert.Matches("^[A-Za-z0-9._]+$", name));
    }

    /// <summary>By default the console is off: no authentication configured and no role, so the app refuses it (403).</summary>
    [Theory]
    [MemberData(nameof(Transports))]
    public void ConsoleOff_ByDefault_NoAuthenticationAndNoRoles(QueueTransport transport)
    {
        var snapshot = template.For(transport);

        Assert.DoesNotContain(snapshot.Resources("Microsoft.Web/sites/config"), c => LastSegment(c) == "authsettingsV2");
        Assert.Equal(string.Empty, AppSettings(snapshot)["Console__AllowedRoles"]);
    }

    [Fact]
    public void CheckScript_BuildsLintsAndExpands_BothTransports_WithAndWithoutVnet()
    {
        var checks = Directory.GetFiles(Path.Combine(RepoPaths.Root, "infra", "checks"), "*.bicepparam")
            .Select(File.ReadAllText)
            .Select(p => (Transport: Regex.Match(p, @"param queueTransport = '(\w+)'").Groups[1].Value, Vnet: Regex.Match(p, @"param vnetEnabled = (\w+)").Groups[1].Value))
            .ToList();
        var script = File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "check.sh"));

        Assert.Equal(
            ["serviceBus/false", "serviceBus/true", "storageQueues/false", "storageQueues/false", "storageQueues/true"],
            checks.Select(c => $"{c.Transport}/{c.Vnet}").Order(StringComparer.Ordinal));
        Assert.Single(Directory.GetFiles(Path.Combine(RepoPaths.Root, "infra", "checks"), "*.bicepparam"), f => File.ReadAllText(f).Contains("param consoleAllowedRoles = '", StringComparison.Ordinal));
        Assert.Contains("infra/checks/*.bicepparam", script, StringComparison.Ordinal);
        Assert.Contains("snapshot", script, StringComparison.Ordinal);
        Assert.Contains("bash infra/check.sh", File.ReadAllText(Path.Combine(RepoPaths.Root, ".ci", "run")), StringComparison.Ordinal);
    }

    private static List<WorkflowStepRegistration> StepsOfTheCode()
    {
        var services = new ServiceCollection();
        services.AddSimpleAiWebhooks(new ConfigurationBuilder().Build(), FunctionsBuild.QueueTransport);
        return services.Where(d => d.ServiceType == typeof(WorkflowStepRegistration))
            .Select(d => (WorkflowStepRegistration)d.ImplementationInstance!)
            .ToList();
    }

    private static List<string> WorkQueuesOfTheCode() =>
        [QueueNames.Events, QueueNames.TranscriptFetch, .. StepsOfTheCode().Select(s => QueueNames.Step(s.Name))];

    private static List<string> ActionStepsOfTheCode() =>
        StepsOfTheCode().Where(s => typeof(ActionStep).IsAssignableFrom(s.StepType)).Select(s => s.Name).ToList();

    /// <summary><c>Section__Property</c> of every options class of the core (as SettingsTests reads them), lists and per-step actions aside.</summary>
    private static IEnumerable<string> OptionsSettingsOfTheCode() =>
        typeof(WebhooksServiceCollectionExtensions).Assembly.GetTypes()
            .Where(t => t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } && t != typeof(ActionEndpointOptions))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => !typeof(System.Collections.IList).IsAssignableFrom(p.PropertyType))
                .Select(p => $"{t.GetField("Section")!.GetRawConstantValue()}__{p.Name}"));

    private static List<string> LogMessageTemplatesOfTheCode() =>
        typeof(WebhooksServiceCollectionExtensions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>()?.Message)
            .OfType<string>()
            .ToList();

    private static List<string> LogParametersOfTheCode() =>
        typeof(WebhooksServiceCollectionExtensions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<LoggerMessageAttribute>() is not null)
            .SelectMany(m => m.GetParameters().Select(p => p.Name!))
            .ToList();

    private static Dictionary<string, string?> SampleSettings()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
    }

    private static JsonNode App(Snapshot snapshot) => Assert.Single(snapshot.Resources("Microsoft.Web/sites"));

    private static string Id(JsonNode resource) => resource["id"]!.GetValue<string>();

    private static Dictionary<string, string> ParametersFile()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "main.parameters.json")));
        return file.RootElement.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("value").ToString());
    }

    /// <summary>The role assignment of the deployer (not of the app's identity).</summary>
    private static JsonNode DeployerAssignmentNode(Snapshot snapshot) =>
        Assert.Single(snapshot.Resources("Microsoft.Authorization/roleAssignments"), a => a["properties"]!["principalId"]!.GetValue<string>() == DeployerPrincipalId);

    private static JsonNode DeployerAssignment(Snapshot snapshot) => DeployerAssignmentNode(snapshot)["properties"]!;

    private static Dictionary<string, string> AppSettings(Snapshot snapshot)
    {
        var config = Assert.Single(snapshot.Resources("Microsoft.Web/sites/config"), c => LastSegment(c) == "appsettings");
        return config["properties"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
    }

    private static string LastSegment(JsonNode resource) => resource["name"]!.GetValue<string>().Split('/')[^1];

    private static string RoleId(JsonNode assignment) =>
        Regex.Match(assignment["properties"]!["roleDefinitionId"]!.GetValue<string>(), "roleDefinitions(?:', '|/)([0-9a-f-]{36})").Groups[1].Value;

    /// <summary>The resources one parameter set of main.bicep deploys (<c>bicep snapshot</c>'s predictedResources).</summary>
    public sealed class Snapshot(JsonArray resources)
    {
        public IEnumerable<JsonNode> Resources(string type) =>
            resources.OfType<JsonNode>().Where(r => string.Equals(r["type"]!.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase));

        public List<string> Names(string type) => Resources(type).Select(LastSegment).ToList();
    }

    /// <summary>
    /// Compiles main.bicep once, and snapshots it per parameter set on first use: each transport with vnetEnabled off
    /// (<see cref="For(QueueTransport)"/>) and on, and a redeployment after <c>azd down</c>.
    /// </summary>
    public sealed class Template : IDisposable
    {
        private readonly string bicep;
        private readonly string main;
        private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("simpleai-bicep-");
        private readonly Dictionary<(QueueTransport Transport, bool VnetEnabled), Lazy<Snapshot>> snapshots;
        private readonly Lazy<Snapshot> afterAzdDown;
        private readonly Lazy<Snapshot> console;

        public Template()
        {
            bicep = FindBicep();
            main = Path.Combine(RepoPaths.Root, "infra", "main.bicep");
            Compiled = JsonNode.Parse(Run(bicep, "build", main, "--stdout"))!;

            var actions = string.Join(", ", ActionStepsOfTheCode().Select(s => $"{{ step: '{s}' }}"));
            string[] storageQueues = ["param queueTransport = 'storageQueues'"];
            string[] serviceBus =
            [
                "param queueTransport = 'serviceBus'",
                $"param actions = [ {actions} ]",
                "param preCallSources = [ { name: 'crm' }, { name: 'open_tickets', timeoutMilliseconds: 800, send: 'number', parameters: { open_tickets: 'open' } } ]",
                "param alertEmail = 'operator@example.com'",
                $"param deployerPrincipalId = '{DeployerPrincipalId}'",
                "param deployerPrincipalType = 'ServicePrincipal'",
            ];
            snapshots = new()
            {
                [(QueueTransport.StorageQueues, false)] = Lazily("storage", storageQueues),
                [(QueueTransport.ServiceBus, false)] = Lazily("servicebus", serviceBus),
                [(QueueTransport.StorageQueues, true)] = Lazily("storage-vnet", [.. storageQueues, "param vnetEnabled = true"]),
                [(QueueTransport.ServiceBus, true)] = Lazily("servicebus-vnet", [.. serviceBus, "param vnetEnabled = true"]),
            };
            // What azd passes after `azd down`: the preprovision hook found the soft-deleted vault, and an azd older
            // than 1.17.1 (no AZURE_PRINCIPAL_TYPE) leaves the deployer's type empty.
            console = Lazily("console", [.. storageQueues, $"param consoleAllowedRoles = '{ConsoleRole}'", $"param consoleEntraClientId = '{ConsoleClientId}'"]);
            afterAzdDown = Lazily("after-azd-down",
                [.. storageQueues, "param keyVaultCreateMode = 'recover'", $"param deployerPrincipalId = '{DeployerPrincipalId}'", "param deployerPrincipalType = ''"]);
        }

        /// <summary>The ARM JSON of <c>bicep build --stdout</c>.</summary>
        public JsonNode Compiled { get; }

        /// <summary>The default deployment of <paramref name="transport"/> (vnetEnabled off).</summary>
        public Snapshot For(QueueTransport transport) => For(transport, vnetEnabled: false);

        public Snapshot For(QueueTransport transport, bool vnetEnabled) => snapshots[(transport, vnetEnabled)].Value;

        /// <summary>Storage Queues with the console on (its roles and Entra app registration given).</summary>
        public Snapshot Console => console.Value;

        /// <summary>Storage Queues, redeployed into the same environment after <c>azd down</c>.</summary>
        public Snapshot AfterAzdDown => afterAzdDown.Value;

        /// <summary>Another main.bicep (in a changed copy of infra/) expanded with <paramref name="parameters"/>.</summary>
        public Snapshot ExpandOther(string otherMain, string name, params string[] parameters) =>
            Expand(bicep, work.FullName, otherMain, name, parameters);

        public void Dispose() => work.Delete(recursive: true);

        private Lazy<Snapshot> Lazily(string name, string[] parameters) =>
            new(() => Expand(bicep, work.FullName, main, name, parameters));

        private static Snapshot Expand(string bicep, string work, string main, string name, params string[] parameters)
        {
            var paramFile = Path.Combine(work, name + ".bicepparam");
            File.WriteAllLines(paramFile,
            [
                $"using '{Path.GetRelativePath(work, main).Replace('\\', '/')}'",
                "param environmentName = 'ci'",
                "param location = 'westeurope'",
                .. parameters,
            ]);
            Run(bicep, "snapshot", paramFile, "--mode", "overwrite",
                "--subscription-id", "00000000-0000-0000-0000-000000000001", "--resource-group", "rg-ci", "--location", "westeurope");
            var snapshot = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(paramFile, ".snapshot.json")))!;
            var diagnostics = snapshot["diagnostics"]?.AsArray() ?? [];
            Assert.True(diagnostics.Count == 0, $"bicep snapshot could not expand every resource: {diagnostics.ToJsonString()}");
            return new Snapshot(snapshot["predictedResources"]!.AsArray());
        }

        private static string FindBicep()
        {
            var candidates = new List<string?>
            {
                typeof(Template).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "BicepPath")?.Value,
            };
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
                ? configured
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            candidates.Add(Path.Combine(packages, "azure.bicep.commandline.linux-x64", "0.49.2", "tools", "bicep"));

            var bicep = candidates.FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException(
                    $"The Bicep CLI is not restored (looked at: {string.Join(", ", candidates)}). Run `bash infra/check.sh`, " +
                    "which restores it from NuGet (infra/tools/BicepCli.csproj), or restore this test project.");
            if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(bicep).HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
            }

            return bicep;
        }

        private static string Run(string bicep, params string[] arguments)
        {
            var start = new ProcessStartInfo(bicep)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"bicep {arguments[0]} did not finish in 3 minutes");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"bicep {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
            }

            return stdout.Result;
        }
    }
}
