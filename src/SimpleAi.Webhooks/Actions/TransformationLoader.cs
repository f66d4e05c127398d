using SimpleAi.Webhooks.Actions.Transformations;

namespace SimpleAi.Webhooks.Actions;

/// <summary>
/// Compiles an action step's <c>Actions__&lt;step key&gt;__Transform</c> file into its options, once per process: options
/// are built at the step's first delivery and cached per step. Start-up has already checked the file of every step
/// the app runs (<see cref="ActionEndpointValidation"/>, which stops the app with the problem), so a failure here means
/// the file changed under a running app: the try fails with the problem, and the host retries.
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
            throw new OptionsValidationException(name ?? Options.DefaultName, typeof(ActionEndpointOptions), [$"{ActionEndpointOptions.SettingName(name ?? Options.DefaultName, nameof(ActionEndpointOptions.Transform))}: {problem}."]);
        }

        options.Transformation = transformation;
    }
}
