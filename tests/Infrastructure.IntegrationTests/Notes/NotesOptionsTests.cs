using CleanCognito.Infrastructure.Aws;
using CleanCognito.Infrastructure.Notes;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.IntegrationTests.Notes;

/// <summary>The <c>Notes</c> section is validated at start-up like every AWS service section, with messages naming the environment variable.</summary>
public sealed class NotesOptionsTests
{
    [Fact]
    public void The_defaults_with_a_table_name_are_valid()
    {
        var options = new NotesOptions { TableName = "cleancognito-NotesTable-ABC123" };

        Validate(options).Succeeded.Should().BeTrue();
        options.PageSize.Should().Be(20);
        options.TimeoutSeconds.Should().Be(10);
        options.AttemptTimeoutSeconds.Should().Be(3);
    }

    [Theory]
    [InlineData("", "Notes:TableName", "is missing")]
    [InlineData("ab", "Notes:TableName", "DynamoDB table name")]
    [InlineData("notes table", "Notes:TableName", "DynamoDB table name")]
    public void A_missing_or_malformed_table_name_names_the_key_and_its_variable(string table, string key, string problem)
    {
        var result = Validate(new NotesOptions { TableName = table });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain(key).And.Contain("Notes__TableName").And.Contain(problem);
    }

    [Fact]
    public void Plain_http_endpoints_a_bad_region_and_out_of_range_numbers_are_refused_outside_Local()
    {
        var result = Validate(new NotesOptions
        {
            TableName = "notes",
            ServiceUrl = "http://127.0.0.1:9005",
            Region = "Europe",
            PageSize = 0,
            TimeoutSeconds = 1,
            AttemptTimeoutSeconds = 2,
        });

        result.FailureMessage.Should().Contain("Notes:ServiceUrl").And.Contain("must use https")
            .And.Contain("Notes:Region").And.Contain("Notes:PageSize");
        Validate(new NotesOptions { TableName = "notes", TimeoutSeconds = 1, AttemptTimeoutSeconds = 2 }).FailureMessage
            .Should().Contain("Notes:AttemptTimeoutSeconds").And.Contain("must not exceed");
    }

    private static ValidateOptionsResult Validate(NotesOptions options) =>
        new AwsServiceOptionsValidator<NotesOptions>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production" }).Validate(null, options);
}
