using SimpleAi.Webhooks.Actions.Transformations;

namespace SimpleAi.Webhooks.Tests.Actions;

/// <summary>Transformation files written to a folder of their own, as an operator would put them next to workflow.json.</summary>
internal sealed class TransformationScripts : IDisposable
{
    public TransformationScripts()
    {
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "transforms-" + Guid.NewGuid().ToString("N"));

    /// <summary>Writes <paramref name="source"/> as <paramref name="name"/>; returns its full path.</summary>
    public string Write(string name, string source)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, source);
        return path;
    }

    public Transformation Load(string name, string source) => Transformation.Load(Write(name, source), name);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
