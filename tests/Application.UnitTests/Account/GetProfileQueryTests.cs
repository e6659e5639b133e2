using CleanCognito.Application.Account.GetProfile;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.UnitTests.Fakes;
using CleanCognito.Application.UnitTests.Files;
using CleanCognito.Domain.Files;

namespace CleanCognito.Application.UnitTests.Account;

public sealed class GetProfileQueryTests
{
    private static readonly DateTimeOffset AccessExpiry = new(2026, 11, 26, 10, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset IdExpiry = new(2026, 11, 26, 10, 45, 0, TimeSpan.Zero);

    [Fact]
    public async Task Profile_shows_the_IdentityId_and_when_the_credentials_expire()
    {
        var profile = await new GetProfileQueryHandler(FakeCurrentUser.Alice, new Tokens(), new FakeCurrentIdentity())
            .Handle(new GetProfileQuery(), CancellationToken.None);

        profile.Identity.Should().Be(new MyIdentity(FakeCurrentIdentity.AliceIdentity, FakeCurrentIdentity.Expiry));
        profile.Username.Should().Be("alice");
        profile.AccessTokenExpiresAt.Should().Be(AccessExpiry);
        profile.IdTokenExpiresAt.Should().Be(IdExpiry);
    }

    [Fact]
    public async Task Profile_without_the_identity_pool_still_shows_the_user()
    {
        var profile = await new GetProfileQueryHandler(FakeCurrentUser.Alice, new Tokens(), new UnreachableIdentity())
            .Handle(new GetProfileQuery(), CancellationToken.None);

        profile.Identity.Should().BeNull();
        profile.Username.Should().Be("alice");
    }

    private sealed class Tokens : ICurrentUserTokens
    {
        public UserTokens GetTokens() => new("access", "id", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X", "sub-alice", AccessExpiry, IdExpiry);

        public ValueTask<UserTokens?> RefreshAsync(CancellationToken cancellationToken) => ValueTask.FromResult<UserTokens?>(null);

        public string? GetRefreshToken() => null;
    }

    private sealed class UnreachableIdentity : ICurrentIdentity
    {
        public ValueTask<UserFolder> GetFolderAsync(CancellationToken cancellationToken) => throw Down();

        public ValueTask<IdentityCredentials> GetCredentialsAsync(CancellationToken cancellationToken) => throw Down();

        public ValueTask<IdentityCredentials> RenewCredentialsAsync(IdentityCredentials rejected, CancellationToken cancellationToken) => throw Down();

        private static UpstreamUnavailableException Down() => new("Cognito Identity", "down");
    }
}
