using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using SimpleAi.Functions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Configuration.AddSimpleAiWorkflowFile();
builder.Services.AddSimpleAiFunctionsApp(builder.Configuration);
builder.Build().Run();
