using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using SimpleAi.Functions;
using SimpleAi.Webhooks.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddSimpleAiWebhooks(builder.Configuration, FunctionsBuild.QueueTransport);
builder.Build().Run();
