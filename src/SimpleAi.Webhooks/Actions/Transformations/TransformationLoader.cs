using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SimpleAi.Webhooks.Actions.Transformations;

/// <summary>
/// Compiles an action step's <c>Actions:&lt;step&gt;:Transform</c> file into its options, once per process (the
/// options are cached per step; ValidateOnStart builds them at start-up). A file that is missing or does not compile
/// stops the app: the problem is an <see cref="OptionsValidationException"/>, so start-up reports it together with
/// every other settings problem (<see cref="ActionEndpointValidation"/> words the same problem for workflow steps).
/// </summary>
internal sealed class TransformationLoader(IConfiguration configuration) : IPostConfigureOptions<ActionEndpointOptions>
{
    public void PostConfigure(string? name, ActionEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Transform))
        {
            return;
        }

        if (!Transformation.TryLoad(TransformationFiles.Resolve(configuration, options.Transform), options.Transform, out var transformation, out var problem))
        {
            throw new OptionsValidationException(name ?? Options.DefaultName, typeof(ActionEndpointOptions), [$"Actions:{name}:Transform: {problem}."]);
        }

        options.Transformation = transformation;
    }
}
