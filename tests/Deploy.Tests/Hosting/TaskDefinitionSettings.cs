using CleanCognito.Deploy.Tests.Template;
using YamlDotNet.RepresentationModel;
using static CleanCognito.Deploy.Tests.Template.CloudFormationTemplate;

namespace CleanCognito.Deploy.Tests.Hosting;

/// <summary>
/// The environment the template gives the app's container (its <c>Environment</c> and <c>Secrets</c>),
/// with each intrinsic function replaced by a value of the shape AWS would put there. A function this
/// class has no sample for fails the test with the name to add, so nothing is silently dropped.
/// </summary>
internal static class TaskDefinitionSettings
{
    private const string Region = "eu-west-1";

    private static readonly Dictionary<string, string> Pseudo = new(StringComparer.Ordinal)
    {
        ["AWS::Region"] = Region,
        ["AWS::AccountId"] = "123456789012",
        ["AWS::Partition"] = "aws",
        ["AWS::StackName"] = "cleancognito",
    };

    /// <summary>Values for parameters that have no default.</summary>
    private static readonly Dictionary<string, string> ParameterSamples = new(StringComparer.Ordinal)
    {
        ["AppHost"] = "app.example.com",
        ["HostedUiDomainPrefix"] = "cleancognito-example",
        ["ContainerImage"] = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/cleancognito:1",
    };

    /// <summary>What <c>!Ref</c> returns for each resource type the environment refers to.</summary>
    private static readonly Dictionary<string, string> RefByType = new(StringComparer.Ordinal)
    {
        ["AWS::Cognito::UserPool"] = "eu-west-1_Example01",
        ["AWS::Cognito::UserPoolClient"] = "1example23456789clientid0",
        ["AWS::Cognito::UserPoolDomain"] = "cleancognito-example",
        ["AWS::Cognito::IdentityPool"] = "eu-west-1:00000000-0000-4000-8000-000000000000",
        ["AWS::S3::Bucket"] = "cleancognito-filesbucket-example",
        ["AWS::DynamoDB::Table"] = "cleancognito-NotesTable-EXAMPLE1234",
        ["AWS::SecretsManager::Secret"] = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:client-AbCdEf",
    };

    private static readonly Dictionary<string, string> GetAttSamples = new(StringComparer.Ordinal)
    {
        ["GraphQlApi.GraphQLUrl"] = "https://example1234567890abcdef.appsync-api.eu-west-1.amazonaws.com/graphql",
        // A closed loopback port: the app may try to reach it while starting and must fail fast.
        ["SharedCache.Endpoint.Address"] = "127.0.0.1",
        ["SharedCache.Endpoint.Port"] = "9",
    };

    public static YamlMappingNode AppContainer(CloudFormationTemplate template)
    {
        var definition = Properties(template.Resource("TaskDefinition"))
            ?? throw new InvalidOperationException("The template has no TaskDefinition resource.");
        return Items(Get(definition, "ContainerDefinitions")).OfType<YamlMappingNode>()
            .Single(c => Text(Get(c, "Name")) == "app");
    }

    /// <summary>Name → value of every environment variable and secret the container gets.</summary>
    public static IReadOnlyDictionary<string, string> Of(CloudFormationTemplate template)
    {
        var container = AppContainer(template);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in Items(Get(container, "Environment")).OfType<YamlMappingNode>())
        {
            settings[Text(Get(variable, "Name"))!] = Resolve(template, Get(variable, "Value"));
        }

        // Secrets: !If [HostConfidentialClient, [ … ], !Ref AWS::NoValue] — take the list (the
        // confidential-client case, where ECS injects the secret's value).
        foreach (var secret in SecretEntries(Get(container, "Secrets")))
        {
            settings[Text(Get(secret, "Name"))!] = "example-client-secret";
        }

        return settings;
    }

    private static IEnumerable<YamlMappingNode> SecretEntries(YamlNode? secrets) =>
        secrets switch
        {
            null => [],
            YamlSequenceNode { Tag.Value: "!If" } conditional => Items(conditional[1]).OfType<YamlMappingNode>(),
            _ => Items(secrets).OfType<YamlMappingNode>(),
        };

    private static string Resolve(CloudFormationTemplate template, YamlNode? value)
    {
        if (Text(value) is { } plain)
        {
            return plain;
        }

        if (RefTarget(value) is { } target)
        {
            return Ref(template, target);
        }

        if (GetAttTarget(value) is { } attribute)
        {
            return GetAttSamples.TryGetValue(attribute, out var sample)
                ? sample
                : throw new InvalidOperationException($"No sample value for !GetAtt {attribute}: add one to {nameof(TaskDefinitionSettings)}.");
        }

        if (SubTemplate(value) is { } sub)
        {
            return System.Text.RegularExpressions.Regex.Replace(sub, @"\$\{([^}!]+)\}", m =>
            {
                var name = m.Groups[1].Value;
                return name.Contains('.', StringComparison.Ordinal) && !name.StartsWith("AWS::", StringComparison.Ordinal)
                    ? GetAttSamples.TryGetValue(name, out var sample) ? sample : throw new InvalidOperationException($"No sample value for ${{{name}}}.")
                    : Ref(template, name);
            });
        }

        throw new InvalidOperationException($"Cannot resolve the value at line {value?.Start.Line}: add its intrinsic function to {nameof(TaskDefinitionSettings)}.");
    }

    private static string Ref(CloudFormationTemplate template, string name)
    {
        if (Pseudo.TryGetValue(name, out var pseudo))
        {
            return pseudo;
        }

        if (Map(Map(template.Root, "Parameters"), name) is { } parameter)
        {
            return Text(Get(parameter, "Default")) is { Length: > 0 } fallback
                ? fallback
                : ParameterSamples.TryGetValue(name, out var sample) ? sample : throw new InvalidOperationException($"No sample value for parameter {name}.");
        }

        var type = Text(Get(template.Resource(name), "Type")) ?? throw new InvalidOperationException($"!Ref {name} names nothing in the template.");
        return RefByType.TryGetValue(type, out var value)
            ? value
            : throw new InvalidOperationException($"No sample value for !Ref of a {type}: add one to {nameof(TaskDefinitionSettings)}.");
    }
}
