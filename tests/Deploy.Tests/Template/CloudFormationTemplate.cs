using YamlDotNet.RepresentationModel;

namespace CleanCognito.Deploy.Tests.Template;

/// <summary>
/// A CloudFormation template read with YamlDotNet's node model, which keeps short-form intrinsic
/// tags (<c>!Ref</c>, <c>!Sub</c>, <c>!GetAtt</c>, …) on the nodes instead of rejecting them.
/// </summary>
internal sealed class CloudFormationTemplate(YamlMappingNode root)
{
    public static CloudFormationTemplate Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return new CloudFormationTemplate((YamlMappingNode)stream.Documents[0].RootNode);
    }

    public static CloudFormationTemplate LoadFile() => Load(File.ReadAllText(RepositoryPaths.Template));

    public YamlMappingNode Root { get; } = root;

    public IEnumerable<(string Name, YamlMappingNode Resource)> ResourcesOfType(string type) =>
        Map(Root, "Resources")!.Children
            .Select(p => (Name: Text(p.Key)!, Resource: (YamlMappingNode)p.Value))
            .Where(r => Text(Get(r.Resource, "Type")) == type);

    public YamlMappingNode? Resource(string name) => Map(Root, "Resources") is { } resources ? Map(resources, name) : null;

    public static YamlNode? Get(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlMappingNode? Map(YamlNode? node, string key) => Get(node, key) as YamlMappingNode;

    public static YamlMappingNode? Properties(YamlNode? resource) => Map(resource, "Properties");

    public static string? Text(YamlNode? node) => node is YamlScalarNode scalar && IsPlain(scalar) ? scalar.Value : null;

    /// <summary>Whether the node carries the short-form tag <paramref name="tag"/> (e.g. <c>!If</c>).</summary>
    public static bool HasTag(YamlNode node, string tag) => !IsPlain(node) && node.Tag.Value == tag;

    /// <summary>No explicit tag: untagged, or the non-specific "!" YAML gives some quoted scalars.</summary>
    private static bool IsPlain(YamlNode node) => node.Tag.IsEmpty || node.Tag.IsNonSpecific;

    /// <summary>A scalar or a list of scalars (IAM allows both for Action, Resource and condition values).</summary>
    public static IReadOnlyList<YamlNode> Items(YamlNode? node) =>
        node switch
        {
            null => [],
            YamlSequenceNode list when IsPlain(list) => list.Children.ToList(),
            _ => [node],
        };

    /// <summary>The logical id in <c>!Ref X</c> or <c>{Ref: X}</c>.</summary>
    public static string? RefTarget(YamlNode? node) => Intrinsic(node, "Ref") is YamlScalarNode s ? s.Value : null;

    /// <summary><c>X.Attr</c> from <c>!GetAtt X.Attr</c>, <c>!GetAtt [X, Attr]</c> or <c>{Fn::GetAtt: [X, Attr]}</c>.</summary>
    public static string? GetAttTarget(YamlNode? node) =>
        Intrinsic(node, "GetAtt") switch
        {
            YamlScalarNode s => s.Value,
            YamlSequenceNode { Children.Count: 2 } list => $"{((YamlScalarNode)list[0]).Value}.{((YamlScalarNode)list[1]).Value}",
            _ => null,
        };

    /// <summary>The template string of <c>!Sub "…"</c> or <c>{Fn::Sub: "…"}</c>.</summary>
    public static string? SubTemplate(YamlNode? node) => Intrinsic(node, "Sub") is YamlScalarNode s ? s.Value : null;

    private static YamlNode? Intrinsic(YamlNode? node, string name)
    {
        if (node is null)
        {
            return null;
        }

        if (!IsPlain(node) && node.Tag.Value == "!" + name)
        {
            return node;
        }

        var longForm = name == "Ref" ? "Ref" : "Fn::" + name;
        return node is YamlMappingNode { Children.Count: 1 } map ? Get(map, longForm) : null;
    }
}
