using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using SimpleAi.Functions;
using SimpleAi.Webhooks.Hosting;

// A start refused for its configuration prints one "Configuration error" list (no stack trace) and exits 78.
var startUp = new StartupGuard(Console.Error);
return startUp.Run(() =>
{
    var builder = FunctionsApplication.CreateBuilder(args);
    startUp.Configuration = builder.Configuration;
    builder.ConfigureFunctionsWebApplication();
    builder.Configuration.AddSimpleAiWorkflowFile();
    FunctionsApp.Configure(builder, builder.Configuration);
    builder.Build().Run();
});
