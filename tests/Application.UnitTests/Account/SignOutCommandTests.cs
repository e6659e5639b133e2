using CleanCognito.Application.Account.SignOut;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Sessions;
using CleanCognito.Application.UnitTests.Fakes;
using CleanCognito.Infrastructure.SharedStore.SignedOutSessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CleanCognito.Application.UnitTests.Account;

public sealed class SignOutCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 18, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly RecordingUserPool _pool = new();
    private readonly InMemorySignedOutSessions _signedOut;

    public SignOutCommandTests() => _signedOut = new InMemorySignedOutSessions(_time);

    [Fact]
    public async Task Sign_out_denylists_the_session_before_it_revokes_the_refresh_token()
    {
        var marks = new TokenMarks("origin-1", "access-1", Now.AddMinutes(-1), Now.AddMinutes(59));
        _pool.OnRevoke = () => _signedOut.IsSignedOut(marks).Should().BeTrue("the denylist is written first: a slow revocation leaves no window");

        await Handler(Tokens(marks), "refresh-1").Handle(new SignOutCommand(), default);

        _pool.Revoked.Should().Equal("refresh-1");
        _signedOut.IsSignedOut(marks with { Jti = "access-after-refresh" }).Should().BeTrue();
        _signedOut.IsRefreshTokenSignedOut("refresh-1").Should().BeTrue();
    }

    [Fact]
    public async Task A_failed_revocation_still_leaves_the_session_denylisted()
    {
        var marks = new TokenMarks("origin-1", "access-1", Now.AddMinutes(-1), Now.AddMinutes(59));
        _pool.OnRevoke = () => throw new HttpRequestException("user pool down");

        await Handler(Tokens(marks), "refresh-1").Handle(new SignOutCommand(), default);

        _signedOut.IsSignedOut(marks).Should().BeTrue();
        _time.Advance(TimeSpan.FromDays(29));
        _signedOut.IsSignedOut(marks).Should().BeFalse("the tokens themselves are long expired");
        _signedOut.IsRefreshTokenSignedOut("refresh-1").Should().BeTrue("the pool may still honour the unrevoked token: this app refuses it as long as the cookie lives");
    }

    [Fact]
    public async Task After_a_successful_revocation_the_refresh_token_is_refused_only_as_long_as_the_tokens_live()
    {
        var marks = new TokenMarks("origin-1", "access-1", Now.AddMinutes(-1), Now.AddMinutes(59));

        await Handler(Tokens(marks), "refresh-1").Handle(new SignOutCommand(), default);

        _time.Advance(TimeSpan.FromHours(1));
        _signedOut.IsRefreshTokenSignedOut("refresh-1").Should().BeFalse("the pool refuses the revoked token from here on; the denylist stays small");
    }

    private SignOutCommandHandler Handler(UserTokens tokens, string? refreshToken) =>
        new(new FixedTokens(tokens, refreshToken), FakeCurrentUser.Alice, _pool, new NoCredentialCache(), _signedOut, new SignOutPolicy(TimeSpan.FromDays(30)), _time, NullLogger<SignOutCommandHandler>.Instance);

    private static UserTokens Tokens(TokenMarks marks) =>
        new("eyJ.access.sig", "eyJ.id.sig", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test", "sub-alice", marks.ExpiresAt, marks.ExpiresAt)
        {
            AccessMarks = marks,
            IdMarks = marks with { Jti = "id-1" },
        };

    private sealed class FixedTokens(UserTokens tokens, string? refreshToken) : ICurrentUserTokens
    {
        public UserTokens GetTokens() => tokens;

        public ValueTask<UserTokens?> RefreshAsync(CancellationToken cancellationToken) => ValueTask.FromResult<UserTokens?>(null);

        public string? GetRefreshToken() => refreshToken;
    }

    private sealed class RecordingUserPool : IUserPoolClient
    {
        public List<string> Revoked { get; } = [];

        public Action OnRevoke { get; set; } = () => { };

        public Task<SessionTokens> RedeemCodeAsync(string code, string redirectUri, string? codeVerifier, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<SessionTokens?> RefreshAsync(string refreshToken, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RevokeAsync(string refreshToken, CancellationToken cancellationToken)
        {
            OnRevoke();
            Revoked.Add(refreshToken);
            return Task.CompletedTask;
        }
    }

    private sealed class NoCredentialCache : ICredentialCache
    {
        public event Action<string>? IdentityEvicted { add { } remove { } }

        public ValueTask<string> GetIdentityIdAsync(UserTokens tokens, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<IdentityCredentials> GetAsync(UserTokens tokens, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<IdentityCredentials> GetAsync(UserTokens tokens, string identityId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task EvictAsync(string userId, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
