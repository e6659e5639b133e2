using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CleanCognito.Infrastructure.Cognito;

/// <summary>
/// Validates Cognito JWTs the way the user pool's documentation asks: RS256 signature against the
/// pool's JWKS, <c>iss</c>, <c>token_use</c>, <c>client_id</c> (access) or <c>aud</c> (ID), and
/// <c>exp</c>/<c>nbf</c>/<c>iat</c> with the configured leeway. A token that validated is remembered by
/// its hash (<see cref="ValidatedTokenCache"/>) and answered from there while it is not past <c>exp</c>
/// and the key that verified it is still one of the pool's keys.
/// </summary>
public sealed class CognitoTokenValidator(ISigningKeySource keys, IOptions<CognitoOptions> options, TimeProvider time, ValidatedTokenCache cache)
{
    /// <summary>Real Cognito tokens are 1–2 KB; anything far larger is refused before parsing.</summary>
    public const int MaxTokenLength = 8192;

    /// <summary>The authentication type of the identities this validator returns (a session's principal uses it as is).</summary>
    public const string AuthenticationType = "Cognito";

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public async ValueTask<TokenCheck> ValidateAsync(string? token, TokenUse use, CancellationToken cancellationToken)
    {
        // A cookie is attacker-controlled input: anything that is not a signed JWS of Cognito's shape
        // (JWE, junk base64, JSON of the wrong shape) is "invalid", never an exception.
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return TokenCheck.Invalid("not a readable JWT");
        }

        // The same cookie arrives on every request until it expires: a token that passed every rule
        // below is answered from the cache while its exp and its key still hold.
        var hash = ValidatedTokenCache.Hash(token);
        if (cache.Find(hash) is { } kept)
        {
            if (kept.Use == use && await StillValidAsync(kept, cancellationToken))
            {
                return kept.Check;
            }

            // Past exp, or its key is gone: validate in full (which says Expired or Invalid) and forget it.
            cache.Remove(hash);
        }

        var (check, signingKey) = await ValidateInFullAsync(token, use, cancellationToken);
        if (check.Status == TokenStatus.Valid && signingKey is not null)
        {
            cache.Add(hash, new ValidatedTokenCache.Entry(use, check, signingKey));
        }

        return check;
    }

    /// <summary>A kept verdict holds while its token is not past <c>exp</c> (plus leeway) and its key is still published.</summary>
    private async ValueTask<bool> StillValidAsync(ValidatedTokenCache.Entry kept, CancellationToken cancellationToken)
    {
        if (kept.Check.ExpiresAt + TimeSpan.FromSeconds(options.Value.ExpirationLeewaySeconds) <= time.GetUtcNow())
        {
            return false;
        }

        // The key set as the app knows it now: a rotation that dropped (or re-published) the key
        // replaces these objects, so a reference comparison is the strictest check.
        var current = await keys.GetKeysAsync(cancellationToken);
        for (var i = 0; i < current.Count; i++)
        {
            if (ReferenceEquals(current[i], kept.SigningKey))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every rule, and the key that verified the signature (null when refused).</summary>
    private async ValueTask<(TokenCheck Check, SecurityKey? SigningKey)> ValidateInFullAsync(string token, TokenUse use, CancellationToken cancellationToken)
    {
        if (CognitoTokenShape.Problem(token, use, options.Value.ClientId) is { } shapeProblem)
        {
            return (TokenCheck.Invalid(shapeProblem), null);
        }

        JsonWebToken jwt;
        try
        {
            jwt = _handler.ReadJsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or System.Text.Json.JsonException or SecurityTokenException)
        {
            return (TokenCheck.Invalid("not a readable JWT"), null);
        }

        var signingKeys = await keys.GetKeysAsync(cancellationToken);
        if (!signingKeys.Any(k => k.KeyId == jwt.Kid))
        {
            signingKeys = await keys.RefreshForUnknownKeyAsync(cancellationToken);
            if (!signingKeys.Any(k => k.KeyId == jwt.Kid))
            {
                return (TokenCheck.Invalid("signed with an unknown key"), null);
            }
        }

        var parameters = Parameters(use, signingKeys);
        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            return (TokenCheck.Invalid(result.Exception?.GetType().Name ?? "rejected"), null);
        }

        // A plain copy of the claims: the library's identity holds the token itself, which a kept
        // verdict must not, and the session uses this identity as is.
        var identity = new ClaimsIdentity(result.ClaimsIdentity.Claims, AuthenticationType, parameters.NameClaimType, parameters.RoleClaimType);
        return (CheckClaims(jwt, use, identity), (result.SecurityToken as JsonWebToken)?.SigningKey);
    }

    private TokenValidationParameters Parameters(TokenUse use, IReadOnlyList<SecurityKey> signingKeys)
    {
        var o = options.Value;
        return new TokenValidationParameters
        {
            ValidIssuer = o.Issuer,
            ValidateIssuer = true,
            // Cognito access tokens carry no aud; their client is in client_id (checked below).
            ValidateAudience = use == TokenUse.Id,
            ValidAudience = o.ClientId,
            IssuerSigningKeys = signingKeys,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            // RS256 only: refuses alg=none and HS256 "signed" with the public key as a secret.
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            // Lifetime is checked below with our TimeProvider, so "expired" can be told from "invalid".
            ValidateLifetime = false,
            RequireExpirationTime = false,
            NameClaimType = use == TokenUse.Id ? "cognito:username" : "username",
            RoleClaimType = "cognito:groups",
        };
    }

    private TokenCheck CheckClaims(JsonWebToken jwt, TokenUse use, ClaimsIdentity identity)
    {
        var expectedUse = use == TokenUse.Access ? "access" : "id";
        if (!jwt.TryGetPayloadValue<string>("token_use", out var tokenUse) || tokenUse != expectedUse)
        {
            return TokenCheck.Invalid($"token_use is not {expectedUse}");
        }

        if (use == TokenUse.Access
            && (!jwt.TryGetPayloadValue<string>("client_id", out var clientId) || clientId != options.Value.ClientId))
        {
            return TokenCheck.Invalid("client_id is not this app's");
        }

        if (!jwt.TryGetPayloadValue<long>("exp", out var exp))
        {
            return TokenCheck.Invalid("no exp");
        }

        var now = time.GetUtcNow();
        var leeway = TimeSpan.FromSeconds(options.Value.ExpirationLeewaySeconds);
        if (jwt.TryGetPayloadValue<long>("nbf", out var nbf) && DateTimeOffset.FromUnixTimeSeconds(nbf) > now + leeway)
        {
            return TokenCheck.Invalid("nbf is in the future");
        }

        if (jwt.TryGetPayloadValue<long>("iat", out var iat) && DateTimeOffset.FromUnixTimeSeconds(iat) > now + leeway)
        {
            return TokenCheck.Invalid("iat is in the future");
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp);
        return expiresAt + leeway <= now
            ? new TokenCheck(TokenStatus.Expired, identity, expiresAt, "expired")
            : new TokenCheck(TokenStatus.Valid, identity, expiresAt, null);
    }
}
