using SimpleAi.Cli;
using SimpleAi.Cli.Commands;

return await new CliApp(CliConsole.System, TimeProvider.System).RunAsync(args);
