using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using SimpleAi.Functions;
using SimpleAi.Webhooks.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Configuration.AddJsonFile("workflow.json", optional: true, reloadOnChange: false);
builder.Services.AddSimpleAiWebhooks(builder.Configuration, FunctionsBuild.QueueTransport);
builder.Services.AddSimpleAiTelemetry(builder.Configuration);
builder.Build().Run();
