namespace SimpleAi.Functions;

/// <summary>
/// The app as every host builds it: its services and options (<see cref="FunctionsAppServiceCollectionExtensions.AddSimpleAiFunctionsApp"/>)
/// and its worker middleware, outermost first. Program.cs applies it to the worker's <c>FunctionsApplicationBuilder</c>;
/// SimpleAi.LocalHost applies it to a builder of its own that runs the same middleware around each invocation. What is
/// added here reaches both; what Program.cs added by itself would be missing locally (LocalHostContractTests refuse that).
/// </summary>
public static class FunctionsApp
{
    public static IFunctionsWorkerApplicationBuilder Configure(IFunctionsWorkerApplicationBuilder app, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.AddSimpleAiFunctionsApp(configuration);
        // Worker middleware, outermost first, with app.UseMiddleware<T>(): none yet.
        return app;
    }
}
