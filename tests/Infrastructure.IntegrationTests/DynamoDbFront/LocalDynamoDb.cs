using Amazon.DynamoDBv2;
using Amazon.Runtime;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.DynamoDbFront;

/// <summary>DynamoDB clients for the local stack's AWS front: with the documented set-up key, or with a user's identity-pool credentials.</summary>
internal static class LocalDynamoDb
{
    /// <summary>The account owner's view (the front's set-up key, no IAM check): for asserting what is really stored.</summary>
    public static AmazonDynamoDBClient DynamoDbSetupClient(this LocalAwsStack stack) =>
        Client(stack, new BasicAWSCredentials(stack.S3SetupKey.AccessKeyId, stack.S3SetupKey.SecretAccessKey));

    /// <summary>A client signing with the given credentials, as the app's DynamoDB client does.</summary>
    public static AmazonDynamoDBClient DynamoDbClientWith(this LocalAwsStack stack, AWSCredentials credentials) => Client(stack, credentials);

    // No retries: a refusal must surface as the first answer, not after back-off.
    private static AmazonDynamoDBClient Client(LocalAwsStack stack, AWSCredentials credentials) =>
        new(credentials, new AmazonDynamoDBConfig { ServiceURL = stack.DynamoDb, AuthenticationRegion = stack.Region, MaxErrorRetry = 0, Timeout = TimeSpan.FromSeconds(20) });
}
