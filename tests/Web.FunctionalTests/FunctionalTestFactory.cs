using CleanCognito.Application.Common.Interfaces;
using CleanCognito.TestSupport.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CleanCognito.Web.FunctionalTests;

/// <summary>The app with <see cref="IGraphQlGateway"/> replaced by <see cref="ScriptedGateway"/>.</summary>
public sealed class FunctionalTestFactory : CleanCognitoAppFactory
{
    public FunctionalTestFactory()
    {
        ConfigureTestServices(services => services.Replace(ServiceDescriptor.Scoped<IGraphQlGateway, ScriptedGateway>()));
    }

    /// <summary>
    /// A client on <c>https://localhost</c>: .NET's CookieContainer drops <c>Secure</c> cookies over http,
    /// and the app's cookies are Secure. Redirects are not followed so tests see them.
    /// </summary>
    public HttpClient CreateHttpsClient() =>
        CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"),
            AllowAutoRedirect = false,
        });
}
