using System.Globalization;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.TestSupport.Web;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CleanCognito.Infrastructure.IntegrationTests.Redis;

/// <summary>
/// A stand-in for Cognito Identity that answers like AWS (one IdentityId per user, an hour of
/// credentials) and counts each operation, for instances that share one Redis. Optionally holds the
/// app's exchange calls until <see cref="Release"/>, to line concurrent callers up.
/// </summary>
internal sealed class IdentityPoolStub : IDisposable
{
    public const string GetIdTarget = "AWSCognitoIdentityService.GetId";
    public const string CredentialsTarget = "AWSCognitoIdentityService.GetCredentialsForIdentity";

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstCall = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IdentityPoolStub(bool hold = false)
    {
        if (!hold)
        {
            _release.SetResult();
        }

        _server.Given(Request.Create().WithPath("/").UsingPost().WithHeader("X-Amz-Target", GetIdTarget))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"IdentityId":"{{IdentityId}}"}"""));
        _server.Given(Request.Create().WithPath("/").UsingPost().WithHeader("X-Amz-Target", CredentialsTarget))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$$"""
                {"IdentityId":"{{{IdentityId}}}","Credentials":{"AccessKeyId":"ASIASTUBEXAMPLE","SecretKey":"{{{SecretKey}}}","SessionToken":"{{{SessionToken}}}","Expiration":{{{ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}}}}}
                """));
    }

    /// <summary>A new identity per stub, so tests sharing one Redis never share entries.</summary>
    public string IdentityId { get; } = $"us-east-1:{Guid.NewGuid()}";

    public string SecretKey { get; } = $"secret-key-{Guid.NewGuid():N}";

    public string SessionToken { get; } = $"session-token-{Guid.NewGuid():N}";

    /// <summary>When the credentials it hands out expire: an hour from now, as AWS does.</summary>
    public DateTimeOffset ExpiresAt { get; } = DateTimeOffset.UtcNow.AddHours(1);

    public int GetIdCalls => Count(GetIdTarget);

    public int CredentialCalls => Count(CredentialsTarget);

    /// <summary>Completes when the first exchange call of any instance reached the hold.</summary>
    public Task FirstCall => _firstCall.Task;

    public void Release() => _release.TrySetResult();

    /// <summary>App settings of an instance that talks to this stub.</summary>
    public Dictionary<string, string?> Settings()
    {
        var settings = CleanCognitoAppFactory.UnreachableUpstreams();
        settings["IdentityPool:ServiceUrl"] = _server.Urls[0];
        return settings;
    }

    /// <summary>Wraps the app's real exchange so each call waits for <see cref="Release"/> before going out.</summary>
    public void Hold(IServiceCollection services)
    {
        var real = services.Last(d => d.ServiceType == typeof(ICredentialExchange));
        services.Remove(real);
        services.AddSingleton<ICredentialExchange>(sp => new HeldExchange((ICredentialExchange)real.ImplementationFactory!(sp), this));
    }

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    private int Count(string target) =>
        _server.LogEntries.Count(e => e.RequestMessage?.Headers?.TryGetValue("X-Amz-Target", out var value) == true && value.Contains(target));

    private sealed class HeldExchange(ICredentialExchange inner, IdentityPoolStub stub) : ICredentialExchange
    {
        public async Task<string> GetIdentityIdAsync(UserTokens tokens, CancellationToken cancellationToken)
        {
            stub._firstCall.TrySetResult();
            await stub._release.Task.WaitAsync(cancellationToken);
            return await inner.GetIdentityIdAsync(tokens, cancellationToken);
        }

        public async Task<IdentityCredentials> GetCredentialsAsync(string identityId, UserTokens tokens, CancellationToken cancellationToken)
        {
            stub._firstCall.TrySetResult();
            await stub._release.Task.WaitAsync(cancellationToken);
            return await inner.GetCredentialsAsync(identityId, tokens, cancellationToken);
        }
    }
}
