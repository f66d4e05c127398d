using SimpleAi.Cli;

return new CliApp(CliConsole.System, TimeProvider.System).Run(args);
