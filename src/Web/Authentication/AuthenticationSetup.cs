using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Infrastructure.Cognito;
using CleanCognito.Infrastructure.Configuration;
using CleanCognito.Web.ErrorHandling;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace CleanCognito.Web.Authentication;

/// <summary>
/// Sign-in with the Cognito hosted UI (authorization code + PKCE + state + nonce) and the cookie
/// session that every request is authenticated from.
/// </summary>
public static partial class AuthenticationSetup
{
    /// <summary>Reads and writes the token cookies; the default for everything but the sign-in redirect.</summary>
    public const string CookieScheme = "CognitoCookies";

    /// <summary>The hosted UI round trip; only <c>/Account/Login</c> challenges it.</summary>
    public const string HostedUiScheme = "CognitoHostedUI";

    public static IServiceCollection AddCognitoAuthentication(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<TokenCookies>();
        services.AddSingleton<SessionRefresher>();
        services.AddSingleton<SessionCookieValidator>();
        services.AddSingleton<SignOutRedirect>();
        services.AddHttpClient(HostedUiProbe.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(3));
        services.AddSingleton<HostedUiProbe>();
        services.AddScoped<ICurrentUser, HttpContextCurrentUser>();
        services.AddScoped<ICurrentUserTokens, HttpContextUserTokens>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieScheme;
                options.DefaultChallengeScheme = CookieScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, CognitoCookieAuthenticationHandler>(CookieScheme, _ => { })
            .AddOpenIdConnect(HostedUiScheme, _ => { });
        services.AddOptions<OpenIdConnectOptions>(HostedUiScheme)
            .Configure<IOptions<CognitoOptions>, IHostEnvironment, IConfigurationManager<OpenIdConnectConfiguration>>(ConfigureHostedUi);

        services.AddAuthorization(options =>
        {
            // Every page needs a signed-in user unless it says [AllowAnonymous].
            options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            options.AddCognitoGroupPolicies();
        });
        return services;
    }

    private static void ConfigureHostedUi(
        OpenIdConnectOptions oidc, IOptions<CognitoOptions> options, IHostEnvironment environment, IConfigurationManager<OpenIdConnectConfiguration> userPoolMetadata)
    {
        var cognito = options.Value;
        oidc.SignInScheme = CookieScheme;
        oidc.MetadataAddress = cognito.EffectiveMetadataAddress;

        // The cookie validator's JWKS cache: a key rotation one of them sees is seen by both.
        oidc.ConfigurationManager = userPoolMetadata;
        oidc.RequireHttpsMetadata = !environment.IsLocal();
        oidc.ClientId = cognito.ClientId;
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.UsePkce = true;
        oidc.PushedAuthorizationBehavior = PushedAuthorizationBehavior.Disable;
        oidc.Scope.Clear();
        foreach (var scope in cognito.ScopeList)
        {
            oidc.Scope.Add(scope);
        }

        oidc.CallbackPath = string.IsNullOrWhiteSpace(cognito.RedirectUrl) ? "/signin-oidc" : new Uri(cognito.RedirectUrl).AbsolutePath;
        oidc.SaveTokens = true;
        oidc.MapInboundClaims = false;
        oidc.GetClaimsFromUserInfoEndpoint = false;
        oidc.UseTokenLifetime = false;
        oidc.DisableTelemetry = true;
        oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.Always;
        oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.Always;
        oidc.TokenValidationParameters.ValidIssuer = cognito.Issuer;
        oidc.TokenValidationParameters.ValidAudience = cognito.ClientId;
        oidc.TokenValidationParameters.NameClaimType = "cognito:username";
        oidc.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(cognito.ExpirationLeewaySeconds);

        oidc.Events = new OpenIdConnectEvents
        {
            OnRedirectToIdentityProvider = context =>
            {
                if (!string.IsNullOrWhiteSpace(cognito.RedirectUrl))
                {
                    context.ProtocolMessage.RedirectUri = cognito.RedirectUrl;
                }

                return Task.CompletedTask;
            },
            OnAuthorizationCodeReceived = RedeemCodeAsync,
            OnTokenValidated = async context =>
            {
                // The handler found no nonce cookie for the ID token's nonce and let it pass (seen with
                // the stand-in: a token minted for another sign-in's nonce was accepted). The nonce
                // binds the ID token to this browser's sign-in: require the match here.
                var tokenNonce = context.SecurityToken?.Payload.Nonce;
                if (string.IsNullOrEmpty(tokenNonce) || !string.Equals(context.Nonce, tokenNonce, StringComparison.Ordinal))
                {
                    context.Fail("The ID token's nonce is not the one this sign-in sent.");
                    return;
                }

                // The handler validated the ID token (signature, iss, aud, nonce); check both tokens
                // by Cognito's rules too (token_use, client_id) before any cookie is written.
                var sessionValidator = context.HttpContext.RequestServices.GetRequiredService<SessionCookieValidator>();
                var reason = await sessionValidator.RejectionReasonAsync(
                    context.TokenEndpointResponse?.AccessToken,
                    context.TokenEndpointResponse?.IdToken,
                    context.HttpContext.RequestAborted);
                if (reason is not null)
                {
                    context.Fail($"The tokens from Cognito were not accepted: {reason}");
                }
            },
            OnRemoteFailure = context =>
            {
                var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuthenticationSetup));
                if (context.Failure is UpstreamUnavailableException outage)
                {
                    // The user pool did not answer the code redemption: the one Warning of a failed upstream call.
                    UpstreamOutage.Log(context.HttpContext, logger, outage.Service, outage);
                }
                else
                {
                    LogSignInFailed(logger, context.Failure?.Message ?? "unknown");
                }

                context.Response.Redirect($"{context.Request.PathBase}/Account/SignInFailed");
                context.HandleResponse();
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>
    /// Redeems the code through <see cref="IUserPoolClient"/> rather than the handler's built-in
    /// request, so confidential clients authenticate with HTTP Basic as Cognito requires and one
    /// client serves sign-in, refresh and revocation.
    /// </summary>
    private static async Task RedeemCodeAsync(AuthorizationCodeReceivedContext context)
    {
        var request = context.TokenEndpointRequest!;
        request.Parameters.TryGetValue("code_verifier", out var codeVerifier);
        var client = context.HttpContext.RequestServices.GetRequiredService<IUserPoolClient>();
        SessionTokens tokens;
        try
        {
            tokens = await client.RedeemCodeAsync(request.Code, request.RedirectUri, codeVerifier, context.HttpContext.RequestAborted);
        }
        catch (UpstreamUnavailableException ex)
        {
            // Failed, not thrown: a thrown exception makes the handler log an Error with its stack
            // trace, for an outage that OnRemoteFailure reports as the one Warning.
            context.Fail(ex);
            return;
        }

        context.HandleCodeRedemption(new OpenIdConnectMessage
        {
            AccessToken = tokens.AccessToken,
            IdToken = tokens.IdToken,
            RefreshToken = tokens.RefreshToken,
            TokenType = "Bearer",
            ExpiresIn = tokens.ExpiresInSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in failed: {Reason}")]
    private static partial void LogSignInFailed(ILogger logger, string reason);
}
