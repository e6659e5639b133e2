using Amazon.Runtime;
using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Infrastructure.Aws;

/// <summary>
/// A client of one AWS service for the current user, and the credentials it signs with: their
/// IdentityId is the user's partition (<c>private/{id}/</c> in S3, <c>ownerId</c> in DynamoDB), their
/// expiry bounds what outlives the call (a presigned URL).
/// </summary>
internal sealed record UserAwsClient<TClient>(TClient Client, IdentityCredentials Credentials)
    where TClient : AmazonServiceClient
{
    public string IdentityId => Credentials.IdentityId;
}
