using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Sessions;
using CleanCognito.Infrastructure.SharedStore.SignedOutSessions;
using Microsoft.Extensions.Time.Testing;

namespace CleanCognito.Application.UnitTests.Sessions;

/// <summary>The denylist's rules: what a sign-out records, until when, and which tokens it then refuses.</summary>
public sealed class SessionSignOutTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 18, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);

    [Fact]
    public void A_sign_out_records_the_origin_jti_both_jtis_and_a_hash_of_the_refresh_token_never_a_token()
    {
        var tokens = Tokens(Marks("origin-1", "access-jti-1"), Marks("origin-1", "id-jti-1"));

        var session = SessionSignOut.Of(tokens, "the-refresh-token", Now)!;

        session.Ids.Should().BeEquivalentTo("origin-1", "access-jti-1", "id-jti-1", SessionSignOut.RefreshTokenId("the-refresh-token"));
        session.Ids.Should().NotContain(id => id.Contains("the-refresh-token") || id.Contains(tokens.AccessToken) || id.Contains(tokens.IdToken));
        SessionSignOut.RefreshTokenId("the-refresh-token").Should().MatchRegex("^refresh:[0-9a-f]{64}$");
    }

    [Fact]
    public async Task Tokens_refreshed_from_a_signed_out_session_keep_its_origin_jti_and_are_refused()
    {
        var sessions = new InMemorySignedOutSessions(_time);
        await sessions.AddAsync(SessionSignOut.Of(Tokens(Marks("origin-1", "access-1"), Marks("origin-1", "id-1")), null, Now)!, default);

        var refreshedAccess = Marks("origin-1", "access-2");
        var refreshedId = Marks("origin-1", "id-2");

        sessions.IsSignedOut(refreshedAccess).Should().BeTrue("a refresh keeps origin_jti, so the new tokens belong to the signed-out session");
        sessions.IsSignedOut(refreshedId).Should().BeTrue();
        sessions.IsSignedOut(Marks("origin-2", "access-3")).Should().BeFalse("another sign-in of the same user is another session");
    }

    [Fact]
    public async Task A_token_without_origin_jti_is_known_by_its_jti()
    {
        var withoutOrigin = Marks(originJti: null, "lonely-jti");
        withoutOrigin.SessionId.Should().Be("lonely-jti");
        var sessions = new InMemorySignedOutSessions(_time);

        await sessions.AddAsync(SessionSignOut.Of(Tokens(withoutOrigin, Marks(null, "id-jti")), null, Now)!, default);

        sessions.IsSignedOut(withoutOrigin).Should().BeTrue();
        sessions.IsSignedOut(Marks(null, "other-jti")).Should().BeFalse();
        sessions.IsSignedOut(default).Should().BeFalse("a token without any id matches nothing");
    }

    [Fact]
    public void The_entry_lasts_until_the_latest_exp_a_token_of_the_session_can_carry()
    {
        // Issued 50 minutes ago, 10 minutes left: a token refreshed elsewhere a moment before the
        // sign-out (same origin_jti) lives a full hour from now.
        var access = new TokenMarks("origin-1", "access-1", Now.AddMinutes(-50), Now.AddMinutes(10));
        var id = new TokenMarks("origin-1", "id-1", Now.AddMinutes(-50), Now.AddMinutes(10));

        var session = SessionSignOut.Of(Tokens(access, id), null, Now)!;

        session.Until.Should().Be(Now.AddHours(1));
    }

    [Fact]
    public void Without_iat_the_entry_lasts_until_the_tokens_exp()
    {
        var access = new TokenMarks("origin-1", "access-1", default, Now.AddMinutes(10));
        var id = new TokenMarks("origin-1", "id-1", default, Now.AddMinutes(20));

        SessionSignOut.Of(Tokens(access, id), null, Now)!.Until.Should().Be(Now.AddMinutes(20));
    }

    [Fact]
    public async Task Entries_expire_at_their_time_and_are_swept_so_the_set_stays_bounded()
    {
        var sessions = new InMemorySignedOutSessions(_time);
        var marks = new TokenMarks("origin-1", "access-1", Now, Now.AddMinutes(5));
        await sessions.AddAsync(SessionSignOut.Of(Tokens(marks, marks with { Jti = "id-1" }), "refresh", Now)!, default);
        sessions.IsSignedOut(marks).Should().BeTrue();
        sessions.IsRefreshTokenSignedOut("refresh").Should().BeTrue();

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        sessions.IsSignedOut(marks).Should().BeTrue("one tick before exp");

        _time.Advance(TimeSpan.FromTicks(1));
        sessions.IsSignedOut(marks).Should().BeFalse("at exp the token is refused as expired anyway");
        sessions.IsRefreshTokenSignedOut("refresh").Should().BeFalse();
        _time.Advance(TimeSpan.FromMinutes(1));
        sessions.Remember(["a-later-sign-out"], Now.AddHours(1));
        sessions.Count.Should().Be(1, "the next write sweeps what expired, so the set does not grow with every sign-out ever made");
    }

    [Fact]
    public void An_id_signed_out_twice_keeps_the_later_expiry_and_expired_sessions_are_not_added()
    {
        var sessions = new InMemorySignedOutSessions(_time);
        sessions.Remember(["origin-1"], Now.AddMinutes(30));
        sessions.Remember(["origin-1"], Now.AddMinutes(10));
        sessions.Remember(["origin-old"], Now.AddSeconds(-1));

        _time.Advance(TimeSpan.FromMinutes(20));

        sessions.Contains("origin-1").Should().BeTrue();
        sessions.Contains("origin-old").Should().BeFalse();
    }

    private static TokenMarks Marks(string? originJti, string jti) => new(originJti, jti, Now.AddMinutes(-5), Now.AddMinutes(55));

    private static UserTokens Tokens(TokenMarks access, TokenMarks id) =>
        new("eyJ.access.sig", "eyJ.id.sig", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test", "sub-alice", access.ExpiresAt, id.ExpiresAt)
        {
            AccessMarks = access,
            IdMarks = id,
        };
}
