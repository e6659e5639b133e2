using System.Text.RegularExpressions;
using CleanCognito.Deploy.Tests.Hosting;
using CleanCognito.Deploy.Tests.Template;
using CleanCognito.TestSupport;
using YamlDotNet.RepresentationModel;
using static CleanCognito.Deploy.Tests.Template.CloudFormationTemplate;

namespace CleanCognito.Web.BrowserTests.Image;

/// <summary>
/// The environment the ECS task definition in deploy/cleancognito.yaml gives the app's container,
/// read from the template itself, with every Ref, GetAtt and secret pointed at the local stand-ins.
/// A variable or reference this class has no local value for fails the test with its name, so a
/// setting added to the template cannot slip past the image test.
/// </summary>
internal static partial class TaskEnvironment
{
    /// <summary>
    /// The few values the container cannot take as the template gives them, each for a reason that is
    /// about this machine, not the app. Everything else reaches the container exactly as resolved.
    /// </summary>
    private static readonly Dictionary<string, Func<string, LocalTarget, string>> Overrides = new(StringComparer.Ordinal)
    {
        // The stand-ins speak plain http, which only the Local environment accepts (the app refuses
        // http upstreams elsewhere, and that check stays). Production-only behaviour (HTTPS redirect,
        // HSTS) is proven by tests/Deploy.Tests; the image's other settings are the task's.
        ["ASPNETCORE_ENVIRONMENT"] = (value, _) => value == "Production" ? "Local" : throw Unexpected("ASPNETCORE_ENVIRONMENT", value, "Production"),
        // The hosted UI is the stand-in's, not https://<prefix>.auth.<region>.amazoncognito.com.
        ["Cognito__Domain"] = (value, local) => CognitoDomain().IsMatch(value) ? local.Stack.Idp : throw Unexpected("Cognito__Domain", value, "https://<prefix>.auth.<region>.amazoncognito.com"),
        // No TLS-terminating load balancer here: the browser reaches the container on plain http.
        ["Cognito__RedirectUrl"] = (value, local) => LocalOrigin(value, local, "/signin-oidc"),
        ["Cognito__LogoutUrl"] = (value, local) => LocalOrigin(value, local, "/Account/SignedOut"),
        // The local redis-server has no TLS (ElastiCache requires it, hence ssl=true in the template).
        ["Redis__Configuration"] = (value, _) => value.EndsWith(",ssl=true", StringComparison.Ordinal) ? value[..^",ssl=true".Length] : throw Unexpected("Redis__Configuration", value, "<host>:<port>,ssl=true"),
    };

    /// <summary>!Ref of a template resource, by logical id: the stand-in's counterpart.</summary>
    private static readonly Dictionary<string, Func<LocalTarget, string>> LocalRefs = new(StringComparer.Ordinal)
    {
        ["UserPool"] = local => local.Stack.UserPoolId,
        // The task gets the client secret (the list branch of Secrets' !If), so the confidential client.
        ["AppClient"] = _ => LocalAwsStack.ConfidentialClientId,
        ["IdentityPool"] = local => local.Stack.IdentityPoolId,
        ["FilesBucket"] = local => local.Stack.Bucket,
        ["NotesTable"] = _ => "cleancognito-local-notes",
        // The ElastiCache user the app signs in as; the local redis-server has only its default user.
        ["CacheAppUser"] = _ => "default",
        // Only ever inside Cognito__Domain, which names the stand-in instead (see Overrides).
        ["HostedUiDomain"] = _ => "cleancognito-local",
        ["AppHost"] = _ => "127.0.0.1",
        ["AWS::Region"] = local => local.Stack.Region,
        ["AWS::AccountId"] = _ => "000000000000",
        ["AWS::Partition"] = _ => "aws",
        ["AWS::StackName"] = _ => "cleancognito-local",
    };

    private static readonly Dictionary<string, Func<LocalTarget, string>> LocalGetAtts = new(StringComparer.Ordinal)
    {
        ["GraphQlApi.GraphQLUrl"] = local => local.Stack.AppSync,
        ["SharedCache.Endpoint.Address"] = _ => "127.0.0.1",
        ["SharedCache.Endpoint.Port"] = local => local.RedisPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // The key ring's KMS key: the stand-in's key in moto (an alias, which KMS takes wherever it takes a key ARN).
        ["DataProtectionKey.Arn"] = local => local.Stack.KmsKeyId,
    };

    /// <summary>Secrets Manager secrets the task reads (Secrets: ValueFrom), by logical id.</summary>
    private static readonly Dictionary<string, Func<LocalTarget, string>> LocalSecrets = new(StringComparer.Ordinal)
    {
        ["ClientSecret"] = _ => LocalAwsStack.ConfidentialClientSecret,
        ["CachePassword"] = local => local.RedisPassword,
    };

    /// <summary>
    /// Name → value for the container: the task definition's variables (mapped as above) plus the
    /// endpoints AWS's SDKs derive from the region and the stand-ins must be named for, and the port.
    /// </summary>
    public static Dictionary<string, string> For(CloudFormationTemplate template, LocalTarget local)
    {
        var container = Items(Get(Properties(template.Resource("TaskDefinition")), "ContainerDefinitions"))
            .OfType<YamlMappingNode>().Single(c => Text(Get(c, "Name")) == "app");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in Items(Get(container, "Environment")).OfType<YamlMappingNode>())
        {
            var name = Text(Get(variable, "Name"))!;
            var value = Resolve(template, local, name, Get(variable, "Value"));
            environment[name] = Overrides.TryGetValue(name, out var adjust) ? adjust(value, local) : value;
        }

        foreach (var secret in TaskDefinitionSettings.SecretEntries(Get(container, "Secrets")))
        {
            var name = Text(Get(secret, "Name"))!;
            var id = RefTarget(Get(secret, "ValueFrom"))
                ?? throw new InvalidOperationException($"The task's secret {name} is not a !Ref to a secret: teach {nameof(TaskEnvironment)} its shape.");
            environment[name] = LocalSecrets.TryGetValue(id, out var secretValue)
                ? secretValue(local)
                : throw new InvalidOperationException($"The task's secret {name} reads {id}, which has no local value: add one to {nameof(TaskEnvironment)}.{nameof(LocalSecrets)}.");
        }

        // Not in the task definition because AWS needs none: the SDKs and the OIDC handler find the
        // real services from the region. Here they must be told where each stand-in listens.
        environment["Cognito__MetadataAddress"] = $"{local.Stack.Idp}/{local.Stack.UserPoolId}/.well-known/openid-configuration";
        environment["IdentityPool__ServiceUrl"] = local.Stack.Identity;
        environment["Storage__ServiceUrl"] = local.Stack.S3;
        if (environment.ContainsKey("DataProtection__KmsKeyId"))
        {
            // On ECS the task role signs KMS calls (the SDK's container credentials); moto takes any key.
            environment["DataProtection__KmsServiceUrl"] = local.Stack.Kms;
            environment["AWS_ACCESS_KEY_ID"] = LocalAwsStack.KmsTestKey.AccessKeyId;
            environment["AWS_SECRET_ACCESS_KEY"] = LocalAwsStack.KmsTestKey.SecretAccessKey;
        }

        if (environment.ContainsKey("Notes__TableName"))
        {
            environment["Notes__ServiceUrl"] = local.Stack.S3; // the one SigV4 front serves S3 and DynamoDB
        }

        // The image listens on 8080; with the host's network a free port avoids anything else on it.
        environment["ASPNETCORE_HTTP_PORTS"] = local.AppPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return environment;
    }

    private static string Resolve(CloudFormationTemplate template, LocalTarget local, string variable, YamlNode? value)
    {
        if (Text(value) is { } plain)
        {
            return plain;
        }

        if (RefTarget(value) is { } target)
        {
            return Ref(template, local, variable, target);
        }

        if (GetAttTarget(value) is { } attribute)
        {
            return GetAtt(local, variable, attribute);
        }

        if (SubTemplate(value) is { } sub)
        {
            return SubReference().Replace(sub, m =>
            {
                var name = m.Groups[1].Value;
                return name.Contains('.', StringComparison.Ordinal) && !name.StartsWith("AWS::", StringComparison.Ordinal)
                    ? GetAtt(local, variable, name)
                    : Ref(template, local, variable, name);
            });
        }

        throw new InvalidOperationException(
            $"The task definition's {variable} (line {value?.Start.Line}) uses an intrinsic function the image test cannot resolve: teach {nameof(TaskEnvironment)} to.");
    }

    private static string Ref(CloudFormationTemplate template, LocalTarget local, string variable, string name)
    {
        if (LocalRefs.TryGetValue(name, out var value))
        {
            return value(local);
        }

        // A parameter with a default takes it, as a stack created without that parameter would.
        if (Map(Map(template.Root, "Parameters"), name) is { } parameter && Text(Get(parameter, "Default")) is { Length: > 0 } fallback)
        {
            return fallback;
        }

        throw new InvalidOperationException(
            $"The task definition's {variable} refers to {name}, which has no local stand-in value: add one to {nameof(TaskEnvironment)}.{nameof(LocalRefs)} (tests/Web.BrowserTests/Image/TaskEnvironment.cs).");
    }

    private static string GetAtt(LocalTarget local, string variable, string attribute) =>
        LocalGetAtts.TryGetValue(attribute, out var value)
            ? value(local)
            : throw new InvalidOperationException(
                $"The task definition's {variable} reads !GetAtt {attribute}, which has no local stand-in value: add one to {nameof(TaskEnvironment)}.{nameof(LocalGetAtts)}.");

    private static string LocalOrigin(string value, LocalTarget local, string path) =>
        value == $"https://{LocalRefs["AppHost"](local)}{path}"
            ? $"http://127.0.0.1:{local.AppPort}{path}"
            : throw Unexpected("the callback URL", value, $"https://<AppHost>{path}");

    private static InvalidOperationException Unexpected(string what, string value, string expected) =>
        new($"The task definition's {what} is \"{value}\", not of the form \"{expected}\" the image test maps to the stand-ins: update {nameof(TaskEnvironment)}.{nameof(Overrides)}.");

    [GeneratedRegex(@"\$\{([^}!]+)\}")]
    private static partial Regex SubReference();

    [GeneratedRegex(@"^https://[a-z0-9-]+\.auth\.[a-z0-9-]+\.amazoncognito\.com$")]
    private static partial Regex CognitoDomain();
}
