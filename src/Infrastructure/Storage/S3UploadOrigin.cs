using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CleanCognito.Application.Files.Uploads;
using CleanCognito.Infrastructure.Aws;

namespace CleanCognito.Infrastructure.Storage;

/// <summary>
/// The origin of the part URLs, taken from the presigner itself (same config as the users' clients:
/// region, endpoint, path-style or virtual-hosted) rather than rebuilt by hand, so the CSP cannot
/// disagree with the URLs: <c>https://{bucket}.s3.{region}.amazonaws.com</c> on AWS, the S3 front
/// (<c>Storage:ServiceUrl</c>) locally. Presigning is offline; the throwaway keys sign nothing sent.
/// </summary>
internal static class S3UploadOrigin
{
    public static UploadOrigin From(AwsService<AmazonS3Client> service, StorageOptions options)
    {
        using var client = service.CreateClient(new BasicAWSCredentials("AKIAORIGINPROBE00000", "origin-probe"));
        var isHttp = options.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true;
        var url = client.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = options.BucketName,
            Key = "origin-probe",
            Verb = HttpVerb.PUT,
            UploadId = "origin-probe",
            PartNumber = 1,
            Expires = DateTime.UtcNow.AddMinutes(1),
            Protocol = isHttp ? Protocol.HTTP : Protocol.HTTPS,
        });
        return new UploadOrigin(new Uri(url).GetLeftPart(UriPartial.Authority));
    }
}
