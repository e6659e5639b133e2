using System.Net;
using System.Text;
using CleanCognito.Infrastructure.Cognito;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace CleanCognito.Infrastructure.IntegrationTests.Cognito;

/// <summary>Each rule of <see cref="CognitoTokenValidator"/>: the good token passes, its violation is refused.</summary>
public sealed class CognitoTokenValidatorTests : IDisposable
{
    private static readonly string[] EditorsAndAdmins = ["editors", "admins"];
    private static readonly string[] UnknownCriticalExtension = ["http://example.test/unknown-extension"];
    private static readonly string[] AccessInAnArray = ["access"];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
    private readonly TestTokenIssuer _issuer;
    private readonly CognitoOptions _options = new()
    {
        Region = TestTokenIssuer.DefaultRegion,
        UserPoolId = TestTokenIssuer.DefaultUserPoolId,
        ClientId = TestTokenIssuer.DefaultClientId,
        Domain = "https://auth.example.com",
        JwksRefreshPenaltySeconds = 30,
    };

    public CognitoTokenValidatorTests() => _issuer = new TestTokenIssuer(_time);

    public void Dispose() => _issuer.Dispose();

    [Fact]
    public async Task A_genuine_access_token_is_valid_with_its_claims_and_expiry()
    {
        var check = await Validate(_issuer.AccessToken(), TokenUse.Access);

        check.Status.Should().Be(TokenStatus.Valid, check.Reason);
        check.Identity!.FindFirst("sub")!.Value.Should().Be(TestUser.Alice.Sub);
        check.Identity.Name.Should().Be("alice");
        check.Identity.FindAll("cognito:groups").Select(c => c.Value).Should().Equal("editors");
        check.ExpiresAt.Should().Be(_time.GetUtcNow().AddHours(1));
    }

    [Fact]
    public async Task A_genuine_id_token_is_valid_with_its_claims()
    {
        var check = await Validate(_issuer.IdToken(), TokenUse.Id);

        check.Status.Should().Be(TokenStatus.Valid, check.Reason);
        check.Identity!.Name.Should().Be("alice");
        check.Identity.FindFirst("email")!.Value.Should().Be("alice@example.com");
    }

    [Theory]
    [InlineData(TokenSigning.OtherKey)]
    [InlineData(TokenSigning.None)]
    [InlineData(TokenSigning.Hs256WithPublicKey)]
    public async Task A_token_not_signed_with_the_pools_key_is_invalid(TokenSigning signing)
    {
        (await Validate(_issuer.AccessToken(signing: signing), TokenUse.Access)).Status.Should().Be(TokenStatus.Invalid);
        (await Validate(_issuer.IdToken(signing: signing), TokenUse.Id)).Status.Should().Be(TokenStatus.Invalid);
    }

    [Fact]
    public async Task A_token_without_a_kid_signed_alg_none_is_invalid()
    {
        var token = _issuer.AccessToken(header: h => h.Remove("kid"), signing: TokenSigning.None);

        (await Validate(token, TokenUse.Access)).Status.Should().Be(TokenStatus.Invalid);
    }

    [Fact]
    public async Task A_tampered_payload_is_invalid()
    {
        var token = _issuer.AccessToken();
        var parts = token.Split('.');
        var forged = _issuer.AccessToken(claims: c => c["cognito:groups"] = EditorsAndAdmins).Split('.')[1];

        (await Validate($"{parts[0]}.{forged}.{parts[2]}", TokenUse.Access)).Status.Should().Be(TokenStatus.Invalid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln")]
    public async Task Malformed_tokens_are_invalid(string token) =>
        (await Validate(token, TokenUse.Access)).Status.Should().Be(TokenStatus.Invalid);

    [Fact]
    public async Task An_oversized_token_is_refused_before_parsing()
    {
        var fits = _issuer.AccessToken(claims: c => c["padding"] = new string('x', 1000));
        var oversized = _issuer.AccessToken(claims: c => c["padding"] = new string('x', CognitoTokenValidator.MaxTokenLength));

        (await Validate(fits, TokenUse.Access)).Status.Should().Be(TokenStatus.Valid);
        (await Validate(oversized, TokenUse.Access)).Status.Should().Be(TokenStatus.Invalid);
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_invalid()
    {
        var other = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Someone";

        (await Validate(_issuer.AccessToken(claims: c => c["iss"] = other), TokenUse.Access)).Status.Should().Be(TokenStatus.Invalid);
        (await Validate(_issuer.IdToken(claims: c => c["iss"] = other), TokenUse.Id)).Status.Should().Be(TokenStatus.Invalid);
        (await Validate(_issuer.AccessToken(claims: c => c.Remove("iss")), TokenUse.Access)).Status.Should().Be(TokenStatus.Invalid);
    }

    [Fact]
    public async Task Token_use_must_match_the_cookie()
    {
        (await Validate(_issuer.IdToken(), TokenUse.Access)).Status.Should().Be(TokenStatus.Invalid);
        (await Validate(_issuer.AccessToken(claims: c => c["aud"] = _issuer.ClientId), TokenUse.Id)).Status.Should().Be(TokenStatus.Invalid);
        (await Validate(_issuer.AccessToken(claims: c => c.Remove("token_use")), TokenUse.Access)).Status.Should().Be(TokenStatus.Invalid);
        (await Validate(_issuer.IdToken(claims: c => c["token_use"] = "access"), TokenUse.Id)).Status.Should().Be(TokenStatus.Invalid);
    }

    [Fact]
    public async Task An_access_token_for_another_client_is_invalid()
    {
        (await Validate(_issuer.AccessToken(claims: c => c["client_id"] = "someone-else"), TokenUse.Access)).Status.Should().Be(TokenStatus.Invalid);
        (await Validate(_issuer.AccessToken(claims: c => c.Remove("client_id")), TokenUse.Access)).Status.Should().Be(TokenStatus.Invalid);
    }

    [Fact]
    public async Task An_id_token_for_another_audience_is_invalid()
    {
        (await Validate(_issuer.IdToken(claims: c => c["aud"] = "someone-else"), TokenUse.Id)).Status.Should().Be(TokenStatus.Invalid);
        (await Validate(_issuer.IdToken(claims: c => c.Remove("aud")), TokenUse.Id)).Status.Should().Be(TokenStatus.Invalid);
    }

    public static TheoryData<string> ShapesCognitoNeverIssues =>
    [
        "aud is an array holding the client id",
        "aud is an array of only the client id",
        "crit header",
        "crit header naming nothing",
        "exp as a string",
        "iat as a string",
        "nbf as a string",
        "auth_time as a string",
        "exp fractional",
        "exp beyond year 9999",
        "token_use in capitals",
        "token_use with a trailing space",
        "token_use as an array",
        "client_id as an array",
        "alg RS512",
        "JWE shaped (five parts)",
    ];

    [Theory]
    [MemberData(nameof(ShapesCognitoNeverIssues))]
    public async Task A_pool_signed_token_of_a_shape_Cognito_never_issues_is_invalid(string shape)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var (token, use) = shape switch
        {
            "aud is an array holding the client id" => (_issuer.IdToken(claims: c => c["aud"] = new[] { _issuer.ClientId, "another-client" }), TokenUse.Id),
            "aud is an array of only the client id" => (_issuer.IdToken(claims: c => c["aud"] = new[] { _issuer.ClientId }), TokenUse.Id),
            "crit header" => (_issuer.AccessToken(header: h => h["crit"] = UnknownCriticalExtension), TokenUse.Access),
            "crit header naming nothing" => (_issuer.IdToken(header: h => h["crit"] = Array.Empty<string>()), TokenUse.Id),
            "exp as a string" => (_issuer.AccessToken(claims: c => c["exp"] = (now + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture)), TokenUse.Access),
            "iat as a string" => (_issuer.IdToken(claims: c => c["iat"] = now.ToString(System.Globalization.CultureInfo.InvariantCulture)), TokenUse.Id),
            "nbf as a string" => (_issuer.AccessToken(claims: c => c["nbf"] = now.ToString(System.Globalization.CultureInfo.InvariantCulture)), TokenUse.Access),
            "auth_time as a string" => (_issuer.IdToken(claims: c => c["auth_time"] = now.ToString(System.Globalization.CultureInfo.InvariantCulture)), TokenUse.Id),
            "exp fractional" => (_issuer.AccessToken(claims: c => c["exp"] = now + 3600.5), TokenUse.Access),
            "exp beyond year 9999" => (_issuer.AccessToken(claims: c => c["exp"] = 99999999999999L), TokenUse.Access),
            "token_use in capitals" => (_issuer.AccessToken(claims: c => c["token_use"] = "ACCESS"), TokenUse.Access),
            "token_use with a trailing space" => (_issuer.IdToken(claims: c => c["token_use"] = "id "), TokenUse.Id),
            "token_use as an array" => (_issuer.AccessToken(claims: c => c["token_use"] = AccessInAnArray), TokenUse.Access),
            "client_id as an array" => (_issuer.AccessToken(claims: c => c["client_id"] = new[] { _issuer.ClientId }), TokenUse.Access),
            "alg RS512" => (_issuer.AccessToken(header: h => h["alg"] = "RS512"), TokenUse.Access),
            "JWE shaped (five parts)" => ("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00iLCJraWQiOiJ4In0.AAAA.AAAA.AAAA.AAAA", TokenUse.Access),
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "no such case"),
        };

        var check = await Validate(token, use);

        check.Status.Should().Be(TokenStatus.Invalid, shape);
    }

    [Fact]
    public async Task The_shape_rules_do_not_refuse_what_Cognito_issues()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();

        (await Validate(_issuer.IdToken(claims: c => c["auth_time"] = now), TokenUse.Id)).Status.Should().Be(TokenStatus.Valid);
        (await Validate(_issuer.AccessToken(claims: c => c["auth_time"] = now), TokenUse.Access)).Status.Should().Be(TokenStatus.Valid);
    }

    [Fact]
    public async Task A_genuine_token_past_exp_is_expired_not_invalid()
    {
        var token = _issuer.AccessToken();
        _time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        (await Validate(token, TokenUse.Access)).Status.Should().Be(TokenStatus.Valid);

        _time.Advance(TimeSpan.FromSeconds(1));
        var check = await Validate(token, TokenUse.Access);
        check.Status.Should().Be(TokenStatus.Expired);
        check.Identity.Should().NotBeNull("an expired but genuine token still says whose session it was");
    }

    [Fact]
    public async Task A_forged_token_past_exp_is_invalid_not_expired()
    {
        var token = _issuer.AccessToken(signing: TokenSigning.OtherKey);
        _time.Advance(TimeSpan.FromHours(2));

        (await Validate(token, TokenUse.Access)).Status.Should().Be(TokenStatus.Invalid);
    }

    [Fact]
    public async Task A_token_without_exp_is_invalid()
    {
        (await Validate(_issuer.AccessToken(claims: c => c.Remove("exp")), TokenUse.Access)).Status.Should().Be(TokenStatus.Invalid);
    }

    [Fact]
    public async Task A_token_not_yet_valid_is_invalid()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();

        (await Validate(_issuer.AccessToken(claims: c => c["nbf"] = now), TokenUse.Access)).Status.Should().Be(TokenStatus.Valid);
        (await Validate(_issuer.AccessToken(claims: c => c["nbf"] = now + 60), TokenUse.Access)).Status.Should().Be(TokenStatus.Invalid);
    }

    [Fact]
    public async Task A_token_issued_in_the_future_is_invalid()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();

        (await Validate(_issuer.IdToken(claims: c => c["iat"] = now + 60), TokenUse.Id)).Status.Should().Be(TokenStatus.Invalid);
    }

    [Fact]
    public async Task The_leeway_is_honoured_on_exp_nbf_and_iat()
    {
        _options.ExpirationLeewaySeconds = 30;
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var expiresSoon = _issuer.AccessToken(claims: c => c["exp"] = now + 10);

        (await Validate(_issuer.AccessToken(claims: c => c["nbf"] = now + 29), TokenUse.Access)).Status.Should().Be(TokenStatus.Valid);
        (await Validate(_issuer.AccessToken(claims: c => c["nbf"] = now + 31), TokenUse.Access)).Status.Should().Be(TokenStatus.Invalid);
        (await Validate(_issuer.AccessToken(claims: c => c["iat"] = now + 29), TokenUse.Access)).Status.Should().Be(TokenStatus.Valid);
        (await Validate(_issuer.AccessToken(claims: c => c["iat"] = now + 31), TokenUse.Access)).Status.Should().Be(TokenStatus.Invalid);

        _time.Advance(TimeSpan.FromSeconds(39));
        (await Validate(expiresSoon, TokenUse.Access)).Status.Should().Be(TokenStatus.Valid, "10 s past exp is within 30 s of leeway");
        _time.Advance(TimeSpan.FromSeconds(1));
        (await Validate(expiresSoon, TokenUse.Access)).Status.Should().Be(TokenStatus.Expired);
    }

    [Fact]
    public async Task An_unknown_kid_refetches_the_jwks_once_then_not_again_within_the_penalty_window()
    {
        using var jwks = new CountingJwksHandler(_issuer);
        _options.MetadataAddress = "http://issuer.test" + _issuer.DiscoveryPath();
        var cache = KeyCache(jwks);
        var validator = new CognitoTokenValidator(cache, Options.Create(_options), _time, new ValidatedTokenCache(Options.Create(_options), _time));

        (await validator.ValidateAsync(_issuer.AccessToken(), TokenUse.Access, default)).Status.Should().Be(TokenStatus.Valid);
        jwks.JwksFetches.Should().Be(1);

        _time.Advance(TimeSpan.FromSeconds(31));
        var unknownKid = _issuer.AccessToken(header: h => h["kid"] = "rotated-away", signing: TokenSigning.OtherKey);
        (await validator.ValidateAsync(unknownKid, TokenUse.Access, default)).Status.Should().Be(TokenStatus.Invalid);
        jwks.JwksFetches.Should().Be(2, "an unknown kid may mean Cognito rotated its keys: fetch once");

        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(2));
            (await validator.ValidateAsync(unknownKid, TokenUse.Access, default)).Status.Should().Be(TokenStatus.Invalid);
        }

        jwks.JwksFetches.Should().Be(2, "garbage kids within the penalty window must not reach the JWKS endpoint");
        (await validator.ValidateAsync(_issuer.AccessToken(), TokenUse.Access, default)).Status.Should().Be(TokenStatus.Valid);

        // After the window the cache asks again; the framework's ConfigurationManager also gates on
        // its own (real) clock, so the fetch itself is shown by the stand-in's key-rotation test.
    }

    [Fact]
    public async Task A_rotated_key_is_picked_up_after_the_penalty_window()
    {
        using var jwks = new CountingJwksHandler(_issuer);
        _options.MetadataAddress = "http://issuer.test" + _issuer.DiscoveryPath();
        var cache = KeyCache(jwks);
        var validator = new CognitoTokenValidator(cache, Options.Create(_options), _time, new ValidatedTokenCache(Options.Create(_options), _time));
        (await validator.ValidateAsync(_issuer.AccessToken(), TokenUse.Access, default)).Status.Should().Be(TokenStatus.Valid);

        using var rotated = new TestTokenIssuer(_time);
        jwks.Serve(rotated);
        _time.Advance(TimeSpan.FromSeconds(31));

        (await validator.ValidateAsync(rotated.AccessToken(), TokenUse.Access, default)).Status.Should().Be(TokenStatus.Valid);
    }

    /// <summary>The app's key cache over the framework's ConfigurationManager, served by <paramref name="jwks"/>.</summary>
    private SigningKeyCache KeyCache(HttpMessageHandler jwks) => new(
        UserPoolMetadata.Create(_options, new LocalEnvironment(), new HttpClient(jwks, disposeHandler: false)),
        Options.Create(_options),
        _time,
        NullLogger<SigningKeyCache>.Instance);

    private ValueTask<TokenCheck> Validate(string token, TokenUse use) =>
        new CognitoTokenValidator(new StaticKeys(_issuer.SigningKeys), Options.Create(_options), _time, new ValidatedTokenCache(Options.Create(_options), _time)).ValidateAsync(token, use, default);

    private sealed class StaticKeys(IReadOnlyList<SecurityKey> keys) : ISigningKeySource
    {
        public ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(CancellationToken cancellationToken) => ValueTask.FromResult(keys);

        public ValueTask<IReadOnlyList<SecurityKey>> RefreshForUnknownKeyAsync(CancellationToken cancellationToken) => ValueTask.FromResult(keys);
    }

    private sealed class LocalEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Local";

        public string ApplicationName { get; set; } = "tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }

    /// <summary>Serves an issuer's discovery document and JWKS, counting JWKS fetches.</summary>
    private sealed class CountingJwksHandler(TestTokenIssuer issuer) : HttpMessageHandler
    {
        private TestTokenIssuer _issuer = issuer;
        private int _jwksFetches;

        public int JwksFetches => _jwksFetches;

        public void Serve(TestTokenIssuer other) => _issuer = other;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            string? body = null;
            if (path == _issuer.DiscoveryPath())
            {
                body = _issuer.DiscoveryJson("http://issuer.test");
            }
            else if (path == _issuer.JwksPath())
            {
                Interlocked.Increment(ref _jwksFetches);
                body = _issuer.JwksJson;
            }

            return Task.FromResult(body is null
                ? new HttpResponseMessage(HttpStatusCode.NotFound)
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
