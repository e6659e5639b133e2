using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CleanCognito.TestSupport.Web;
using Microsoft.IdentityModel.Tokens;

namespace CleanCognito.TestSupport;

/// <summary>How <see cref="TestTokenIssuer"/> signs a token: honestly, or in one of the ways an attacker would.</summary>
public enum TokenSigning
{
    /// <summary>RS256 with the issuer's published key.</summary>
    Rs256,

    /// <summary>RS256 with a key the JWKS does not hold (same <c>kid</c> unless the header says otherwise).</summary>
    OtherKey,

    /// <summary><c>alg: none</c> and an empty signature.</summary>
    None,

    /// <summary>HS256 with the issuer's public key (PEM bytes) as the HMAC secret: the classic key-confusion attack.</summary>
    Hs256WithPublicKey,
}

/// <summary>
/// A stand-in Cognito user pool for unit and functional tests: an RSA 2048 key with a <c>kid</c>,
/// Cognito-shaped access and ID tokens whose claims and header can be overridden (a null value
/// removes the claim), forged variants (<see cref="TokenSigning"/>), and the discovery + JWKS documents.
/// </summary>
public sealed class TestTokenIssuer : IDisposable
{
    public const string DefaultRegion = "us-east-1";
    public const string DefaultUserPoolId = "us-east-1_CcTest001";
    public const string DefaultClientId = "cleancognito-local";

    private static readonly string[] ResponseTypes = ["code"];
    private static readonly string[] SubjectTypes = ["public"];
    private static readonly string[] SigningAlgorithms = ["RS256"];

    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _otherKey = RSA.Create(2048);
    private readonly Func<DateTimeOffset> _now;

    public TestTokenIssuer(TimeProvider? time = null, string userPoolId = DefaultUserPoolId, string clientId = DefaultClientId, string region = DefaultRegion)
    {
        var clock = time ?? TimeProvider.System;
        _now = clock.GetUtcNow;
        UserPoolId = userPoolId;
        ClientId = clientId;
        Region = region;
    }

    public string KeyId { get; } = "test-key-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();

    public string UserPoolId { get; }

    public string ClientId { get; }

    public string Region { get; }

    public string Issuer => $"https://cognito-idp.{Region}.amazonaws.com/{UserPoolId}";

    /// <summary>Token lifetime when the claims do not set <c>exp</c>.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The JWKS document (public key only).</summary>
    public string JwksJson => JsonSerializer.Serialize(new
    {
        keys = new[]
        {
            new Dictionary<string, string>
            {
                ["kty"] = "RSA",
                ["kid"] = KeyId,
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["n"] = Base64UrlEncoder.Encode(_key.ExportParameters(false).Modulus!),
                ["e"] = Base64UrlEncoder.Encode(_key.ExportParameters(false).Exponent!),
            },
        },
    });

    /// <summary>The published keys, as a validator would get them from the JWKS.</summary>
    public IReadOnlyList<SecurityKey> SigningKeys => new JsonWebKeySet(JwksJson).GetSigningKeys().ToList();

    /// <summary>The discovery document for a server at <paramref name="baseUrl"/> that serves the JWKS at <c>{baseUrl}/{pool}/.well-known/jwks.json</c>.</summary>
    public string DiscoveryJson(string baseUrl)
    {
        var b = baseUrl.TrimEnd('/');
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = $"{b}/oauth2/authorize",
            ["token_endpoint"] = $"{b}/oauth2/token",
            ["jwks_uri"] = JwksPath(b),
            ["response_types_supported"] = ResponseTypes,
            ["subject_types_supported"] = SubjectTypes,
            ["id_token_signing_alg_values_supported"] = SigningAlgorithms,
        });
    }

    public string DiscoveryPath(string baseUrl = "") => $"{baseUrl.TrimEnd('/')}/{UserPoolId}/.well-known/openid-configuration";

    public string JwksPath(string baseUrl = "") => $"{baseUrl.TrimEnd('/')}/{UserPoolId}/.well-known/jwks.json";

    /// <summary>A Cognito access token for <paramref name="user"/> (default alice), then <paramref name="claims"/> applied.</summary>
    public string AccessToken(
        TestUser? user = null,
        Action<IDictionary<string, object?>>? claims = null,
        Action<IDictionary<string, object?>>? header = null,
        TokenSigning signing = TokenSigning.Rs256)
    {
        var u = user ?? TestUser.Alice;
        var payload = Common(u);
        payload["client_id"] = ClientId;
        payload["token_use"] = "access";
        payload["scope"] = "openid email profile";
        payload["username"] = u.Username;
        payload["version"] = 2;
        claims?.Invoke(payload);
        return Sign(payload, header, signing);
    }

    /// <summary>A Cognito ID token for <paramref name="user"/> (default alice), then <paramref name="claims"/> applied.</summary>
    public string IdToken(
        TestUser? user = null,
        Action<IDictionary<string, object?>>? claims = null,
        Action<IDictionary<string, object?>>? header = null,
        TokenSigning signing = TokenSigning.Rs256)
    {
        var u = user ?? TestUser.Alice;
        var payload = Common(u);
        payload["aud"] = ClientId;
        payload["token_use"] = "id";
        payload["cognito:username"] = u.Username;
        payload["email"] = u.Email;
        payload["email_verified"] = true;
        claims?.Invoke(payload);
        return Sign(payload, header, signing);
    }

    /// <summary>Signs any payload; <paramref name="header"/> may change <c>kid</c>, <c>alg</c> or <c>typ</c> (applied after <paramref name="signing"/> set them).</summary>
    public string Sign(IDictionary<string, object?> payload, Action<IDictionary<string, object?>>? header = null, TokenSigning signing = TokenSigning.Rs256)
    {
        var head = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["kid"] = KeyId,
            ["alg"] = signing switch
            {
                TokenSigning.None => "none",
                TokenSigning.Hs256WithPublicKey => "HS256",
                _ => "RS256",
            },
        };
        header?.Invoke(head);
        var signingInput = $"{Segment(head)}.{Segment(payload)}";
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = signing switch
        {
            TokenSigning.Rs256 => _key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            TokenSigning.OtherKey => _otherKey.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            TokenSigning.Hs256WithPublicKey => HMACSHA256.HashData(Encoding.ASCII.GetBytes(_key.ExportSubjectPublicKeyInfoPem()), data),
            _ => [],
        };
        return $"{signingInput}.{Base64UrlEncoder.Encode(signature)}";
    }

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
    }

    private Dictionary<string, object?> Common(TestUser user)
    {
        var now = _now().ToUnixTimeSeconds();
        var payload = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["sub"] = user.Sub,
            ["iss"] = Issuer,
            ["origin_jti"] = Guid.NewGuid().ToString(),
            ["event_id"] = Guid.NewGuid().ToString(),
            ["auth_time"] = now,
            ["iat"] = now,
            ["exp"] = now + (long)Lifetime.TotalSeconds,
            ["jti"] = Guid.NewGuid().ToString(),
        };
        if (user.Groups.Length > 0)
        {
            payload["cognito:groups"] = user.Groups;
        }

        return payload;
    }

    private static string Segment(IDictionary<string, object?> values)
    {
        var present = values.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(present));
    }
}
