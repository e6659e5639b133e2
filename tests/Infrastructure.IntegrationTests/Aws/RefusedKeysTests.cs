using Amazon.Runtime;
using CleanCognito.Application.Common.Credentials;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Files;
using CleanCognito.Infrastructure.Aws;
using CleanCognito.Infrastructure.IntegrationTests.Notes;
using CleanCognito.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CleanCognito.Infrastructure.IntegrationTests.Aws;

/// <summary>
/// Cached credentials the services no longer accept — what the app holds after the stand-ins (or
/// their key registry) restarted under it, or after AWS revoked a session — are replaced once, for
/// S3 and DynamoDB alike, through the one factory; a second refusal is a 503.
/// The cache is seeded with keys the front never issued (or issued and let expire), which is
/// exactly the state the app is in after the identity stand-in forgot its keys: the cookies are
/// still good, only the cached credentials are not.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class RefusedKeysTests(LocalAwsStack stack)
{
    [Fact]
    public async Task Notes_work_again_after_the_front_forgot_the_cached_keys()
    {
        using var alice = await NotesUser.SignInAsync(stack, stack.Alice);
        var identityId = await SeedAsync(alice, unknownKeys: true);
        var before = await IdentityPoolCallsAsync();

        var page = await alice.Request(store => store.ListAsync(5, null, CancellationToken.None));

        page.Should().NotBeNull();
        (await IdentityPoolCallsAsync()).Credentials.Should().Be(before.Credentials + 1, "one fresh exchange replaced the refused keys");
        var cached = await alice.Host.Services.GetRequiredService<ICredentialStore>().GetCredentialsAsync(identityId, CancellationToken.None);
        cached!.Credentials.AccessKeyId.Should().NotBe(UnknownKey, "the refused set is gone from the shared store");
    }

    [Fact]
    public async Task Notes_work_again_after_the_cached_keys_expired_at_the_service()
    {
        using var alice = await NotesUser.SignInAsync(stack, stack.Alice);
        await SeedAsync(alice, unknownKeys: false);

        var page = await alice.Request(store => store.ListAsync(5, null, CancellationToken.None));

        page.Should().NotBeNull();
    }

    [Fact]
    public async Task Files_work_again_after_the_front_forgot_the_cached_keys()
    {
        using var alice = await NotesUser.SignInAsync(stack, stack.Alice);
        var identityId = await SeedAsync(alice, unknownKeys: true);
        var before = await IdentityPoolCallsAsync();

        using var scope = alice.Host.Services.CreateScope();
        var page = await scope.ServiceProvider.GetRequiredService<IFileStore>().ListAsync(UserFolder.For(identityId), 10, null, CancellationToken.None);

        page.Should().NotBeNull();
        (await IdentityPoolCallsAsync()).Credentials.Should().Be(before.Credentials + 1);
    }

    [Fact]
    public async Task Keys_refused_again_after_renewal_are_a_503_and_renewed_only_once()
    {
        var identity = new AlwaysUnknownKeys();
        using var alice = await NotesUser.SignInAsync(stack, stack.Alice, configure: services => services.AddScoped<ICurrentIdentity>(_ => identity));
        identity.IdentityId = await alice.Host.Services.GetRequiredService<ICredentialExchange>().GetIdentityIdAsync(alice.Tokens, CancellationToken.None);

        var act = () => alice.Request(store => store.ListAsync(5, null, CancellationToken.None));

        (await act.Should().ThrowAsync<UpstreamUnavailableException>()).Which.InnerException.Should().BeAssignableTo<AmazonServiceException>()
            .Which.ErrorCode.Should().Be("UnrecognizedClientException");
        identity.Renewals.Should().Be(1);
    }

    [Theory]
    [InlineData("InvalidAccessKeyId", true)]
    [InlineData("ExpiredToken", true)]
    [InlineData("InvalidToken", true)]
    [InlineData("UnrecognizedClientException", true)]
    [InlineData("ExpiredTokenException", true)]
    [InlineData("InvalidClientTokenId", true)]
    [InlineData("AccessDenied", false)]
    [InlineData("SignatureDoesNotMatch", false)]
    [InlineData("InvalidSignatureException", false)]
    public void Only_the_keys_rejected_codes_replace_the_credentials(string code, bool rejected)
    {
        AwsErrors.AreKeysRejected(new AmazonServiceException("x") { ErrorCode = code }).Should().Be(rejected);
    }

    [Theory]
    [InlineData("ThrottlingException")]
    [InlineData("ProvisionedThroughputExceededException")]
    [InlineData("SlowDown")]
    [InlineData("RequestLimitExceeded")]
    public void Throttling_codes_are_recognized_for_every_service(string code)
    {
        AwsErrors.IsThrottling(new AmazonServiceException("x") { ErrorCode = code }).Should().BeTrue();
        AwsErrors.IsAccessDenied(new AmazonServiceException("x") { ErrorCode = code }).Should().BeFalse();
    }

    private const string UnknownKey = "ASIAUNKNOWNTOTHEFRONT";

    /// <summary>
    /// Puts a set the front will refuse into the user's cache entry: keys it never issued, or keys it
    /// issued with a 1-second life, stored as if they had an hour (what the app believed before the restart).
    /// </summary>
    private async Task<string> SeedAsync(NotesUser user, bool unknownKeys)
    {
        var exchange = user.Host.Services.GetRequiredService<ICredentialExchange>();
        var store = user.Host.Services.GetRequiredService<ICredentialStore>();
        var identityId = await exchange.GetIdentityIdAsync(user.Tokens, CancellationToken.None);
        IdentityCredentials stale;
        if (unknownKeys)
        {
            stale = new IdentityCredentials(identityId, UnknownKey, "not-a-secret", "not-a-session", DateTimeOffset.UtcNow.AddHours(1));
        }
        else
        {
            await stack.NextCredentialsExpireAfterAsync(TimeSpan.FromSeconds(1));
            var shortLived = await exchange.GetCredentialsAsync(identityId, user.Tokens, CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(2));
            stale = shortLived with { Expiration = DateTimeOffset.UtcNow.AddHours(1) };
        }

        await store.SetIdentityIdAsync(user.Tokens.UserId, identityId, CancellationToken.None);
        await store.SetCredentialsAsync(CachedCredentials.For(stale, DateTimeOffset.UtcNow, CredentialCachePolicy.Default.RefreshMargin), CancellationToken.None);
        return identityId;
    }

    private async Task<(long GetId, long Credentials)> IdentityPoolCallsAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var json = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri($"{stack.Identity}/_local/stats")));
        long Count(string name) => json.RootElement.TryGetProperty(name, out var v) ? v.GetInt64() : 0;
        return (Count("GetId"), Count("GetCredentialsForIdentity"));
    }

    private sealed class AlwaysUnknownKeys : ICurrentIdentity
    {
        public string IdentityId { get; set; } = string.Empty;

        public int Renewals { get; private set; }

        public ValueTask<UserFolder> GetFolderAsync(CancellationToken cancellationToken) => ValueTask.FromResult(UserFolder.For(IdentityId));

        public ValueTask<IdentityCredentials> GetCredentialsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Unknown(0));

        public ValueTask<IdentityCredentials> RenewCredentialsAsync(IdentityCredentials rejected, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Unknown(++Renewals));

        private IdentityCredentials Unknown(int n) => new(IdentityId, $"{UnknownKey}{n}", "not-a-secret", "not-a-session", DateTimeOffset.UtcNow.AddHours(1));
    }
}
