using static CleanCognito.Deploy.Tests.Template.CloudFormationTemplate;

namespace CleanCognito.Deploy.Tests.Template;

/// <summary>AppSync writes its field errors to CloudWatch Logs, without verbose content (headers, tokens, items).</summary>
public sealed class AppSyncLoggingTests
{
    private static readonly CloudFormationTemplate Template = LoadFile();

    [Fact]
    public void Field_errors_are_logged_without_verbose_content()
    {
        var log = Map(Properties(Template.Resource("GraphQlApi")), "LogConfig");

        Text(Get(log, "FieldLogLevel")).Should().Be("ERROR");
        Text(Get(log, "ExcludeVerboseContent")).Should().Be("true", "verbose content would put request headers (the access token) in the logs");
        GetAttTarget(Get(log, "CloudWatchLogsRoleArn")).Should().Be("AppSyncLogsRole.Arn");
    }

    [Fact]
    public void Only_appsync_of_this_account_assumes_the_logging_role_and_it_may_only_write_logs()
    {
        var role = Properties(Template.Resource("AppSyncLogsRole"));
        var trust = Items(Get(Map(role, "AssumeRolePolicyDocument"), "Statement")).Single();

        Text(Get(Map(trust, "Principal"), "Service")).Should().Be("appsync.amazonaws.com");
        RefTarget(Get(Map(Map(trust, "Condition"), "StringEquals"), "aws:SourceAccount")).Should().Be("AWS::AccountId");
        Items(Get(role, "ManagedPolicyArns")).Select(SubTemplate).Should().Equal("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSAppSyncPushToCloudWatchLogs");
        Get(role, "Policies").Should().BeNull();
    }

    [Fact]
    public void The_api_log_group_expires_its_logs()
    {
        var group = Properties(Template.Resource("AppSyncLogGroup"));

        SubTemplate(Get(group, "LogGroupName")).Should().Be("/aws/appsync/apis/${GraphQlApi.ApiId}", "the group AppSync writes to");
        Text(Get(group, "RetentionInDays")).Should().Be("30");
    }
}
