using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static CleanCognito.Deploy.Tests.Template.CloudFormationTemplate;

namespace CleanCognito.Deploy.Tests.Template;

/// <summary>
/// Evaluates the string-building intrinsic functions of a template value (Ref to parameters,
/// Sub, Join, Split, Select, If with Equals/Not/And/Or conditions) for given parameter values, as
/// CloudFormation would, so a test can read the list a property really becomes. A function it
/// does not know (or a Ref to a resource) fails the test, naming it.
/// </summary>
internal sealed partial class IntrinsicEvaluator(CloudFormationTemplate template, IReadOnlyDictionary<string, string> parameters)
{
    /// <summary>A string, or a list of strings (Split, and a plain list whose NoValue items drop out).</summary>
    public object? Evaluate(YamlNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode scalar when !node.Tag.IsEmpty && !node.Tag.IsNonSpecific:
                return EvaluateFunction(scalar.Tag.Value.TrimStart('!'), scalar);
            case YamlSequenceNode sequence when !node.Tag.IsEmpty && !node.Tag.IsNonSpecific:
                return EvaluateFunction(sequence.Tag.Value.TrimStart('!'), sequence);
            case YamlScalarNode scalar:
                return scalar.Value;
            case YamlSequenceNode list:
                return list.Children.Select(Evaluate).Where(v => v is not NoValue).ToList();
            case YamlMappingNode { Children.Count: 1 } map when Text(map.Children.Keys.Single()) is { } key && (key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal)):
                return EvaluateFunction(key.Replace("Fn::", string.Empty, StringComparison.Ordinal), map.Children.Values.Single());
            default:
                throw new InvalidOperationException($"Cannot evaluate the value at line {node.Start.Line}.");
        }
    }

    public string String(YamlNode? node) => Evaluate(node) as string ?? throw new InvalidOperationException($"The value at line {node?.Start.Line} is not a string.");

    public IReadOnlyList<string> List(YamlNode? node) =>
        Evaluate(node) is List<object?> list ? list.Cast<string>().ToList() : throw new InvalidOperationException($"The value at line {node?.Start.Line} is not a list.");

    public bool Condition(string name) =>
        IsTrue(Get(Map(template.Root, "Conditions"), name) ?? throw new InvalidOperationException($"No condition {name}."));

    private object? EvaluateFunction(string name, YamlNode argument)
    {
        var args = argument as YamlSequenceNode;
        return name switch
        {
            "Ref" => Ref(((YamlScalarNode)argument).Value!),
            "Sub" => Sub(argument),
            "Join" => string.Join(String(args![0]), Strings(args[1])),
            "Split" => String(args![1]).Split(String(args[0])).Cast<object?>().ToList(),
            "Select" => Strings(args![1])[int.Parse(String(args[0]), System.Globalization.CultureInfo.InvariantCulture)],
            "If" => Condition(((YamlScalarNode)args![0]).Value!) ? Evaluate(args[1]) : Evaluate(args[2]),
            _ => throw new InvalidOperationException($"{nameof(IntrinsicEvaluator)} does not know Fn::{name} (line {argument.Start.Line})."),
        };
    }

    private List<string> Strings(YamlNode node) => Evaluate(node) switch
    {
        List<object?> list => list.Cast<string>().ToList(),
        var other => throw new InvalidOperationException($"Expected a list at line {node.Start.Line}, got {other}."),
    };

    private string Sub(YamlNode argument)
    {
        var (text, variables) = argument switch
        {
            YamlScalarNode scalar => (scalar.Value!, new Dictionary<string, string>()),
            YamlSequenceNode { Children.Count: 2 } pair => (
                String(pair[0]),
                ((YamlMappingNode)pair[1]).Children.ToDictionary(v => Text(v.Key)!, v => String(v.Value))),
            _ => throw new InvalidOperationException($"Fn::Sub at line {argument.Start.Line} has an unknown form."),
        };

        return SubVariable().Replace(text, m => variables.TryGetValue(m.Groups[1].Value, out var value) ? value : (string)Ref(m.Groups[1].Value));
    }

    private object Ref(string name)
    {
        if (name == "AWS::NoValue")
        {
            return NoValue.Instance;
        }

        if (parameters.TryGetValue(name, out var value))
        {
            return value;
        }

        return Map(Map(template.Root, "Parameters"), name) is { } parameter && Text(Get(parameter, "Default")) is { } fallback
            ? fallback
            : throw new InvalidOperationException($"No value for !Ref {name}: pass it to {nameof(IntrinsicEvaluator)}.");
    }

    private bool IsTrue(YamlNode condition)
    {
        var name = condition.Tag.IsEmpty || condition.Tag.IsNonSpecific ? null : condition.Tag.Value.TrimStart('!');
        var args = condition as YamlSequenceNode;
        return name switch
        {
            "Equals" => Evaluate(args![0])?.ToString() == Evaluate(args[1])?.ToString(),
            "Not" => !IsTrue(args![0]),
            "And" => args!.Children.All(IsTrue),
            "Or" => args!.Children.Any(IsTrue),
            "Condition" => Condition(((YamlScalarNode)condition).Value!),
            _ => throw new InvalidOperationException($"Cannot evaluate the condition at line {condition.Start.Line}."),
        };
    }

    /// <summary>!Ref AWS::NoValue: the item disappears from its list.</summary>
    private sealed class NoValue
    {
        public static readonly NoValue Instance = new();
    }

    [GeneratedRegex(@"\$\{([^}!]+)\}")]
    private static partial Regex SubVariable();
}
