using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CleanCognito.Web.FunctionalTests.Authentication;

/// <summary>
/// The app with the real Cognito cookie scheme, pointed at a WireMock stub that serves a
/// <see cref="TestTokenIssuer"/>'s discovery document and JWKS: tokens can be forged at will.
/// </summary>
public sealed class StubIssuerApp : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();

    public StubIssuerApp()
    {
        Issuer = new TestTokenIssuer();
        _server.Given(Request.Create().WithPath(Issuer.DiscoveryPath()).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Issuer.DiscoveryJson(_server.Url!)));
        _server.Given(Request.Create().WithPath(Issuer.JwksPath()).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Issuer.JwksJson));
        Factory = new CleanCognitoAppFactory { UseCognitoSignIn = true };
        Factory.Settings["Cognito:Region"] = Issuer.Region;
        Factory.Settings["Cognito:UserPoolId"] = Issuer.UserPoolId;
        Factory.Settings["Cognito:ClientId"] = Issuer.ClientId;
        Factory.Settings["Cognito:MetadataAddress"] = Issuer.DiscoveryPath(_server.Url!);
    }

    public TestTokenIssuer Issuer { get; }

    /// <summary>The stub's base URL (it answers 404 to anything it does not serve).</summary>
    public string Url => _server.Url!;

    public CleanCognitoAppFactory Factory { get; }

    /// <summary>How many times the app fetched the JWKS.</summary>
    public int JwksFetches => _server.LogEntries.Count(e => e.RequestMessage?.Path == Issuer.JwksPath());

    /// <summary>A client on https://localhost (Secure cookies) that neither follows redirects nor keeps cookies.</summary>
    public HttpClient Client() => Factory.CreateHttpsClient(keepCookies: false);

    public void Dispose()
    {
        Factory.Dispose();
        _server.Stop();
        _server.Dispose();
        Issuer.Dispose();
    }
}
