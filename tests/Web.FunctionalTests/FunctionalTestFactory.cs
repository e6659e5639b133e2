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

}
