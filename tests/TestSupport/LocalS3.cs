using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace CleanCognito.TestSupport;

/// <summary>S3 clients for the local stack's S3 front: with the documented set-up key, or with a user's identity-pool credentials.</summary>
public static class LocalS3
{
    /// <summary>The bucket owner's view (the front's set-up key): for fixtures and for asserting what is really stored.</summary>
    public static AmazonS3Client SetupClient(this LocalAwsStack stack) =>
        Client(stack, new BasicAWSCredentials(stack.S3SetupKey.AccessKeyId, stack.S3SetupKey.SecretAccessKey));

    /// <summary>A client signing with identity-pool credentials, as the app's S3 client does.</summary>
    public static AmazonS3Client ClientWith(this LocalAwsStack stack, string accessKeyId, string secretKey, string sessionToken) =>
        Client(stack, new SessionAWSCredentials(accessKeyId, secretKey, sessionToken));

    /// <summary>Every key in the bucket, sorted, read with the set-up key.</summary>
    public static async Task<List<string>> AllKeysAsync(this LocalAwsStack stack)
    {
        using var s3 = stack.SetupClient();
        var keys = new List<string>();
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = stack.Bucket, ContinuationToken = token });
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    private static AmazonS3Client Client(LocalAwsStack stack, AWSCredentials credentials) =>
        new(credentials, new AmazonS3Config { ServiceURL = stack.S3, ForcePathStyle = true, AuthenticationRegion = stack.Region, Timeout = TimeSpan.FromSeconds(20) });
}
