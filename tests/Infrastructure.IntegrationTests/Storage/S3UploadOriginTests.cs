using CleanCognito.Application.Files.Uploads;
using CleanCognito.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CleanCognito.Infrastructure.IntegrationTests.Storage;

/// <summary>The origin the CSP's connect-src allows is the one the presigner puts in part URLs, on AWS and locally.</summary>
[Collection(LocalAwsGroup.Name)]
public sealed class S3UploadOriginTests(LocalAwsStack stack)
{
    [Fact]
    public void On_aws_the_part_urls_go_to_the_buckets_virtual_hosted_origin()
    {
        var settings = stack.AppSettings();
        settings["Storage:ServiceUrl"] = null;
        settings["Storage:BucketName"] = "cleancognito-files-123";
        settings["Storage:Region"] = "eu-west-1";
        using var host = InfrastructureHost.Build(settings);

        host.Services.GetRequiredService<UploadOrigin>().Value.Should().Be("https://cleancognito-files-123.s3.eu-west-1.amazonaws.com");
    }

    [Fact]
    public void Locally_the_part_urls_go_to_the_s3_front()
    {
        using var host = InfrastructureHost.Build(stack.AppSettings());

        host.Services.GetRequiredService<UploadOrigin>().Value.Should().Be(new Uri(stack.S3).GetLeftPart(UriPartial.Authority));
    }
}
