using Amazon.S3;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Infrastructure.IntegrationTests.CognitoIdentity;
using CleanCognito.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CleanCognito.Infrastructure.IntegrationTests.S3Front;

/// <summary>
/// A user as S3 sees them, without the app: signed in on the hosted UI, then the real GetId and
/// GetCredentialsForIdentity on the identity pool stand-in, then an AWS SDK client with those keys.
/// </summary>
internal sealed record StorageUser(string IdentityId, IdentityCredentials Credentials, AmazonS3Client S3) : IDisposable
{
    public string Folder => $"private/{IdentityId}/";

    public static async Task<StorageUser> SignInAsync(LocalAwsStack stack, LocalUser user)
    {
        using var host = InfrastructureHost.Build(stack.AppSettings());
        var exchange = host.Services.GetRequiredService<ICredentialExchange>();
        var tokens = await CognitoIdentityStandInTests.SignInAsync(stack, user);
        var identityId = await exchange.GetIdentityIdAsync(tokens, CancellationToken.None);
        var credentials = await exchange.GetCredentialsAsync(identityId, tokens, CancellationToken.None);
        return new StorageUser(identityId, credentials, stack.ClientWith(credentials.AccessKeyId, credentials.SecretKey, credentials.SessionToken));
    }

    public void Dispose() => S3.Dispose();
}
