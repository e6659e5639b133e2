using YamlDotNet.RepresentationModel;
using static CleanCognito.Deploy.Tests.Template.CloudFormationTemplate;

namespace CleanCognito.Deploy.Tests.Template;

/// <summary>
/// What a signed-in user may do with the credentials the identity pool hands out, read from the
/// template: every way the role could reach further than <c>private/&lt;identity id&gt;/</c> in the
/// files bucket, or further than the items whose partition key is the identity id in the notes
/// table, is a violation.
/// </summary>
internal static class AuthenticatedRoleScope
{
    /// <summary>The user's folder as IAM sees it (the policy variable is the caller's identity id).</summary>
    public const string UserPrefix = "private/${cognito-identity.amazonaws.com:sub}/";

    /// <summary>The only object ARN allowed, as written in <c>!Sub</c> (<c>${!…}</c> escapes the IAM variable).</summary>
    public const string ObjectArnTemplate = "arn:${AWS::Partition}:s3:::${FilesBucket}/private/${!cognito-identity.amazonaws.com:sub}/*";

    private static readonly string[] ObjectActions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"];
    private const string ListAction = "s3:ListBucket";

    /// <summary>
    /// Item actions that name their keys (so <c>dynamodb:LeadingKeys</c> pins them). Scan, PartiQL and
    /// batches are absent on purpose: with no leading key <c>ForAllValues</c> holds and would allow them.
    /// </summary>
    private static readonly string[] NoteActions = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"];
    private const string NotesTableArn = "NotesTable.Arn";
    private const string OwnPartition = "${cognito-identity.amazonaws.com:sub}";

    public static IReadOnlyList<string> Violations(CloudFormationTemplate template)
    {
        var violations = new List<string>();

        foreach (var (name, pool) in template.ResourcesOfType("AWS::Cognito::IdentityPool"))
        {
            if (Text(Get(Properties(pool), "AllowUnauthenticatedIdentities")) != "false")
            {
                violations.Add($"{name}: AllowUnauthenticatedIdentities must be false (no guest credentials)");
            }
        }

        var attachments = template.ResourcesOfType("AWS::Cognito::IdentityPoolRoleAttachment").ToList();
        if (attachments.Count != 1)
        {
            violations.Add($"expected one IdentityPoolRoleAttachment, found {attachments.Count}");
            return violations;
        }

        var attachment = Properties(attachments[0].Resource);
        if (Get(attachment, "RoleMappings") is not null)
        {
            violations.Add("RoleMappings would let tokens choose other roles");
        }

        var roles = Map(attachment, "Roles");
        var roleKeys = roles?.Children.Keys.Select(k => Text(k)).ToList() ?? [];
        if (roleKeys is not ["authenticated"])
        {
            violations.Add($"Roles must hold only 'authenticated', found [{string.Join(", ", roleKeys)}]");
        }

        var roleArn = GetAttTarget(Get(roles, "authenticated"));
        if (roleArn is null || !roleArn.EndsWith(".Arn", StringComparison.Ordinal))
        {
            violations.Add("Roles.authenticated must be !GetAtt <role>.Arn of a role in this template");
            return violations;
        }

        var roleName = roleArn[..^".Arn".Length];
        var role = template.Resource(roleName);
        if (Text(Get(role, "Type")) != "AWS::IAM::Role")
        {
            violations.Add($"{roleName} is not an AWS::IAM::Role in this template");
            return violations;
        }

        CheckNothingElseAttaches(template, roleName, violations);
        CheckTrust(Properties(role), violations);

        var policies = Items(Get(Properties(role), "Policies"));
        if (policies.Count == 0)
        {
            violations.Add($"{roleName} has no inline policy");
        }

        foreach (var statement in policies.SelectMany(p => Items(Get(Map(p, "PolicyDocument"), "Statement"))))
        {
            CheckStatement(statement, violations);
        }

        return violations;
    }

    private static void CheckNothingElseAttaches(CloudFormationTemplate template, string roleName, List<string> violations)
    {
        if (Get(Properties(template.Resource(roleName)), "ManagedPolicyArns") is not null)
        {
            violations.Add($"{roleName}: ManagedPolicyArns grant beyond the inline statements");
        }

        foreach (var type in new[] { "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy" })
        {
            foreach (var (name, policy) in template.ResourcesOfType(type))
            {
                var props = Properties(policy);
                var targets = Items(Get(props, "Roles")).Append(Get(props, "RoleName")!).Where(n => n is not null);
                if (targets.Any(t => RefTarget(t) == roleName))
                {
                    violations.Add($"{name} ({type}) attaches more permissions to {roleName}");
                }
            }
        }
    }

    private static void CheckTrust(YamlMappingNode? role, List<string> violations)
    {
        var statements = Items(Get(Map(role, "AssumeRolePolicyDocument"), "Statement"));
        if (statements.Count != 1)
        {
            violations.Add($"trust policy must have one statement, found {statements.Count}");
            return;
        }

        var trust = statements[0];
        if (Text(Get(Map(trust, "Principal"), "Federated")) != "cognito-identity.amazonaws.com"
            || Text(Get(trust, "Action")) != "sts:AssumeRoleWithWebIdentity")
        {
            violations.Add("trust policy must let only cognito-identity.amazonaws.com assume the role with a web identity");
        }

        var condition = Map(trust, "Condition");
        if (RefTarget(Get(Map(condition, "StringEquals"), "cognito-identity.amazonaws.com:aud")) is null)
        {
            violations.Add("trust policy must pin cognito-identity.amazonaws.com:aud to the identity pool");
        }

        if (Text(Get(Map(condition, "ForAnyValue:StringLike"), "cognito-identity.amazonaws.com:amr")) != "authenticated")
        {
            violations.Add("trust policy must require cognito-identity.amazonaws.com:amr = authenticated");
        }
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
            return; // a Deny can only narrow
        }

        var actions = Items(Get(statement, "Action")).Select(a => Text(a) ?? "?").ToList();
        var resources = Items(Get(statement, "Resource"));
        if (actions.Any(a => a.StartsWith("dynamodb:", StringComparison.Ordinal)))
        {
            CheckNotesStatement(sid, statement, actions, resources, violations);
            return;
        }

        var unexpected = actions.Where(a => !ObjectActions.Contains(a) && a != ListAction).ToList();
        if (unexpected.Count > 0)
        {
            violations.Add($"{sid}: actions outside {string.Join('/', ObjectActions)} and {ListAction}: {string.Join(", ", unexpected)}");
        }

        if (actions.Contains(ListAction))
        {
            if (actions.Count != 1)
            {
                violations.Add($"{sid}: {ListAction} must stand alone (its resource is the bucket, not objects)");
            }

            if (resources.Count != 1 || GetAttTarget(resources[0]) != "FilesBucket.Arn")
            {
                violations.Add($"{sid}: {ListAction} must name only the files bucket");
            }

            CheckListCondition(sid, Map(statement, "Condition"), violations);
            return;
        }

        if (resources.Count == 0)
        {
            violations.Add($"{sid}: no Resource");
        }

        foreach (var resource in resources)
        {
            var arn = SubTemplate(resource) ?? Text(resource) ?? "(not a string)";
            if (arn != ObjectArnTemplate)
            {
                violations.Add($"{sid}: object resource {arn} is not {ObjectArnTemplate}");
            }
        }
    }

    private static void CheckNotesStatement(string sid, YamlNode statement, List<string> actions, IReadOnlyList<YamlNode> resources, List<string> violations)
    {
        var unexpected = actions.Where(a => !NoteActions.Contains(a)).ToList();
        if (unexpected.Count > 0)
        {
            violations.Add($"{sid}: actions outside {string.Join('/', NoteActions)}: {string.Join(", ", unexpected)}");
        }

        if (resources.Count != 1 || GetAttTarget(resources[0]) != NotesTableArn)
        {
            violations.Add($"{sid}: the notes actions must name only !GetAtt {NotesTableArn} (no index, no other table)");
        }

        // Exactly one condition: every leading key the request names is the caller's identity id.
        var condition = Map(statement, "Condition");
        var operators = condition?.Children.Keys.Select(k => Text(k)).ToList() ?? [];
        var forAll = Map(condition, "ForAllValues:StringEquals");
        var keys = forAll?.Children.Keys.Select(k => Text(k)).ToList() ?? [];
        var values = Items(Get(forAll, "dynamodb:LeadingKeys")).Select(v => Text(v) ?? "(not a string)").ToList();
        if (operators is not ["ForAllValues:StringEquals"] || keys is not ["dynamodb:LeadingKeys"] || values is not [OwnPartition])
        {
            violations.Add($"{sid}: the condition must be exactly ForAllValues:StringEquals dynamodb:LeadingKeys [\"{OwnPartition}\"]");
        }
    }

    private static void CheckListCondition(string sid, YamlMappingNode? condition, List<string> violations)
    {
        var operators = condition?.Children.Keys.Select(k => Text(k)).ToList() ?? [];
        var prefixes = Items(Get(Map(condition, "StringLike"), "s3:prefix")).Select(p => Text(p) ?? "(not a string)").ToList();
        if (!operators.Contains("StringLike") || prefixes.Count == 0)
        {
            violations.Add($"{sid}: {ListAction} without a StringLike s3:prefix condition lists the whole bucket");
        }

        if (Map(condition, "StringLike") is { Children.Count: > 1 })
        {
            violations.Add($"{sid}: StringLike must hold only s3:prefix");
        }

        foreach (var prefix in prefixes.Where(p => !p.StartsWith(UserPrefix, StringComparison.Ordinal)))
        {
            violations.Add($"{sid}: s3:prefix {prefix} is not under {UserPrefix}");
        }
    }
}
