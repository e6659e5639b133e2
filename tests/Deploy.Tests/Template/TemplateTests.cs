using System.Diagnostics;

namespace CleanCognito.Deploy.Tests.Template;

public sealed class TemplateTests
{
    [Fact]
    public async Task Template_passes_cfn_lint()
    {
        var (exitCode, output) = await RunAsync("bash", RepositoryPaths.CheckScript);

        exitCode.Should().Be(0, "deploy/check.sh (cfn-lint) reported:\n{0}", output);
    }

    [Fact]
    public void Authenticated_role_reaches_only_the_users_private_prefix()
    {
        AuthenticatedRoleScope.Violations(CloudFormationTemplate.LoadFile()).Should().BeEmpty();
    }

    [Fact]
    public void Authenticated_role_allows_the_object_and_list_actions_the_app_uses()
    {
        var role = CloudFormationTemplate.LoadFile().Resource("AuthenticatedRole");
        var actions = CloudFormationTemplate.Items(CloudFormationTemplate.Get(CloudFormationTemplate.Properties(role), "Policies"))
            .SelectMany(p => CloudFormationTemplate.Items(CloudFormationTemplate.Get(CloudFormationTemplate.Map(p, "PolicyDocument"), "Statement")))
            .SelectMany(s => CloudFormationTemplate.Items(CloudFormationTemplate.Get(s, "Action")))
            .Select(CloudFormationTemplate.Text);

        actions.Should().BeEquivalentTo(
            ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem"],
            "upload, download (presigned GET), delete and list are what the app does with a user's files; read one, list, create and delete with their notes");
    }

    // Each edit widens what a signed-in user could reach; the scope check must catch every one,
    // or the test above proves nothing.
    [Theory]
    [InlineData("/private/${!cognito-identity.amazonaws.com:sub}/*\"", "/*\"")]
    [InlineData("/private/${!cognito-identity.amazonaws.com:sub}/*\"", "/private/*\"")]
    [InlineData("- \"private/${cognito-identity.amazonaws.com:sub}/*\"", "- \"private/*\"")]
    [InlineData("- \"private/${cognito-identity.amazonaws.com:sub}/*\"", "- \"*\"")]
    [InlineData("StringLike:\n                    s3:prefix:", "StringLikeIfExists:\n                    s3:prefix:")]
    [InlineData("- s3:DeleteObject", "- s3:*")]
    [InlineData("- s3:DeleteObject", "- s3:DeleteObject\n                  - s3:PutObjectAcl")]
    [InlineData("AllowUnauthenticatedIdentities: false", "AllowUnauthenticatedIdentities: true")]
    [InlineData("authenticated: !GetAtt AuthenticatedRole.Arn", "authenticated: !GetAtt AuthenticatedRole.Arn\n        unauthenticated: !GetAtt AuthenticatedRole.Arn")]
    [InlineData("cognito-identity.amazonaws.com:amr: authenticated", "cognito-identity.amazonaws.com:amr: unauthenticated")]
    [InlineData("cognito-identity.amazonaws.com:aud: !Ref IdentityPool", "cognito-identity.amazonaws.com:aud: \"*\"")]
    [InlineData("- dynamodb:DeleteItem", "- dynamodb:DeleteItem\n                  - dynamodb:Scan")]
    [InlineData("- dynamodb:DeleteItem", "- dynamodb:DeleteItem\n                  - dynamodb:BatchGetItem")]
    [InlineData("- dynamodb:DeleteItem", "- dynamodb:*")]
    [InlineData("Resource: !GetAtt NotesTable.Arn", "Resource: \"*\"")]
    [InlineData("Resource: !GetAtt NotesTable.Arn", "Resource: [!GetAtt NotesTable.Arn, !Sub \"${NotesTable.Arn}/index/*\"]")]
    [InlineData("ForAllValues:StringEquals:\n                    dynamodb:LeadingKeys:", "ForAnyValue:StringEquals:\n                    dynamodb:LeadingKeys:")]
    [InlineData("ForAllValues:StringEquals:\n                    dynamodb:LeadingKeys:", "ForAllValues:StringLike:\n                    dynamodb:LeadingKeys:")]
    [InlineData("- \"${cognito-identity.amazonaws.com:sub}\"\n", "- \"${cognito-identity.amazonaws.com:sub}\"\n                      - \"*\"\n")]
    [InlineData("                Condition:\n                  ForAllValues:StringEquals:\n                    dynamodb:LeadingKeys:\n                      - \"${cognito-identity.amazonaws.com:sub}\"\n", "")]
    [InlineData("      Policies:\n        - PolicyName: own-private-files", "      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonS3FullAccess]\n      Policies:\n        - PolicyName: own-private-files")]
    public void Scope_check_catches_a_widened_policy(string original, string widened)
    {
        var text = File.ReadAllText(RepositoryPaths.Template);
        text.Should().Contain(original, "the edit must apply to the current template");

        var template = CloudFormationTemplate.Load(ReplaceFirst(text, original, widened));

        AuthenticatedRoleScope.Violations(template).Should().NotBeEmpty();
    }

    [Fact]
    public void Outputs_are_named_after_the_app_settings_and_say_which_setting()
    {
        var outputs = CloudFormationTemplate.Map(CloudFormationTemplate.LoadFile().Root, "Outputs")!;
        var expected = new Dictionary<string, string>
        {
            ["CognitoRegion"] = "Cognito:Region",
            ["CognitoUserPoolId"] = "Cognito:UserPoolId",
            ["CognitoClientId"] = "Cognito:ClientId",
            ["CognitoDomain"] = "Cognito:Domain",
            ["AppSyncEndpoint"] = "AppSync:Endpoint",
            ["IdentityPoolId"] = "IdentityPool:IdentityPoolId",
            ["AccountId"] = "IdentityPool:AccountId",
            ["StorageBucketName"] = "Storage:BucketName",
            ["NotesTableName"] = "Notes:TableName",
        };

        foreach (var (output, setting) in expected)
        {
            var description = CloudFormationTemplate.Text(CloudFormationTemplate.Get(CloudFormationTemplate.Map(outputs, output), "Description"));
            description.Should().NotBeNull("output {0} must exist", output);
            description.Should().Contain(setting).And.Contain(setting.Replace(":", "__", StringComparison.Ordinal));
        }
    }

    private static string ReplaceFirst(string text, string original, string replacement)
    {
        var index = text.IndexOf(original, StringComparison.Ordinal);
        return string.Concat(text.AsSpan(0, index), replacement, text.AsSpan(index + original.Length));
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
