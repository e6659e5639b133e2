using CleanCognito.Deploy.Tests.Template;
using YamlDotNet.RepresentationModel;
using static CleanCognito.Deploy.Tests.Template.CloudFormationTemplate;

namespace CleanCognito.Deploy.Tests.Hosting;

/// <summary>
/// What the app's tasks may do as themselves, read from the template: kms:Encrypt and kms:Decrypt
/// on the Data Protection key, and nothing else. Every way the task role could reach further is a violation.
/// </summary>
internal static class TaskRoleScope
{
    private static readonly string[] KeyActions = ["kms:Encrypt", "kms:Decrypt"];

    public static IReadOnlyList<string> Violations(CloudFormationTemplate template)
    {
        var violations = new List<string>();
        var roleArn = GetAttTarget(Get(Properties(template.Resource("TaskDefinition")), "TaskRoleArn"));
        if (roleArn is null || !roleArn.EndsWith(".Arn", StringComparison.Ordinal))
        {
            return ["TaskDefinition.TaskRoleArn must be !GetAtt <role>.Arn of a role in this template"];
        }

        var roleName = roleArn[..^".Arn".Length];
        var role = Properties(template.Resource(roleName));
        if (Get(role, "ManagedPolicyArns") is not null)
        {
            violations.Add($"{roleName}: ManagedPolicyArns grant beyond the inline statements");
        }

        foreach (var type in new[] { "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy" })
        {
            foreach (var (name, policy) in template.ResourcesOfType(type))
            {
                var props = Properties(policy);
                if (Items(Get(props, "Roles")).Append(Get(props, "RoleName")!).Where(n => n is not null).Any(t => RefTarget(t) == roleName))
                {
                    violations.Add($"{name} ({type}) attaches more permissions to {roleName}");
                }
            }
        }

        var trust = Items(Get(Map(role, "AssumeRolePolicyDocument"), "Statement"));
        if (trust.Count != 1 || Text(Get(Map(trust[0], "Principal"), "Service")) != "ecs-tasks.amazonaws.com" || Text(Get(trust[0], "Action")) != "sts:AssumeRole")
        {
            violations.Add($"{roleName}: only ecs-tasks.amazonaws.com may assume it");
        }

        var statements = Items(Get(role, "Policies")).SelectMany(p => Items(Get(Map(p, "PolicyDocument"), "Statement"))).ToList();
        if (statements.Count == 0)
        {
            violations.Add($"{roleName} has no inline policy: the app could not use the key");
        }

        foreach (var statement in statements)
        {
            CheckStatement(statement, violations);
        }

        return violations;
    }

    private static void CheckStatement(YamlNode statement, List<string> violations)
    {
        var sid = Text(Get(statement, "Sid")) ?? "(no Sid)";
        foreach (var key in new[] { "NotAction", "NotResource", "NotPrincipal" })
        {
            if (Get(statement, key) is not null)
            {
                violations.Add($"{sid}: {key} grants everything it does not name");
            }
        }

        if (Text(Get(statement, "Effect")) == "Deny")
        {
            return;
        }

        var actions = Items(Get(statement, "Action")).Select(a => Text(a) ?? "?").ToList();
        if (actions.Count == 0 || actions.Except(KeyActions).Any())
        {
            violations.Add($"{sid}: actions other than {string.Join(" and ", KeyActions)}: {string.Join(", ", actions.Except(KeyActions))}");
        }

        var resources = Items(Get(statement, "Resource"));
        if (resources.Count != 1 || GetAttTarget(resources[0]) != "DataProtectionKey.Arn")
        {
            violations.Add($"{sid}: Resource must be the Data Protection key alone (!GetAtt DataProtectionKey.Arn)");
        }
    }
}
