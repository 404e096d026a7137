using System.Text.Json;

namespace BidEngine.Model.Tests;

/// <summary>
/// The server loads models through BidEngine.Model; writing them (OnnxSharp, Google.Protobuf) belongs to
/// BidEngine.Model.Authoring. These fail if the writer's dependencies creep back into what the server ships.
/// </summary>
public sealed class DependencyClosureTests
{
    private static readonly string[] WriterOnly = ["OnnxSharp", "Google.Protobuf"];

    [Fact]
    public void ModelAssemblyReferencesNeitherOnnxSharpNorProtobuf()
    {
        var referenced = typeof(OnnxCtrScorer).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.Contains("Microsoft.ML.OnnxRuntime", referenced);
        Assert.DoesNotContain(referenced, name => WriterOnly.Contains(name, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void ModelPackageClosureHasNeitherOnnxSharpNorProtobuf()
    {
        var model = Closure("BidEngine.Model");
        var authoring = Closure("BidEngine.Model.Authoring");

        // The walk reaches packages (ONNX Runtime, and the writer's through the authoring library)...
        Assert.Contains("Microsoft.ML.OnnxRuntime", model);
        Assert.Contains("OnnxSharp", authoring);
        Assert.Contains("Google.Protobuf", authoring);

        // ...and none of the writer's is reachable from the model library.
        Assert.Empty(model.Intersect(WriterOnly, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Every library reachable from <paramref name="root"/> in this test's deps.json, which records each
    /// project's package and project references as restored: a PackageReference added to BidEngine.Model
    /// (or to anything it references) shows here even when no code uses it yet.
    /// </summary>
    private static HashSet<string> Closure(string root)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "BidEngine.Model.Tests.deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllBytes(path));
        var target = deps.RootElement.GetProperty("targets").EnumerateObject().Single().Value;
        var byName = target.EnumerateObject().ToDictionary(p => p.Name.Split('/')[0], p => p.Value, StringComparer.OrdinalIgnoreCase);

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var name))
        {
            if (!seen.Add(name))
            {
                continue;
            }

            Assert.True(byName.TryGetValue(name, out var library), $"{name} is not in {path}");
            if (library.TryGetProperty("dependencies", out var dependencies))
            {
                foreach (var dependency in dependencies.EnumerateObject())
                {
                    pending.Push(dependency.Name);
                }
            }
        }

        return seen;
    }
}
