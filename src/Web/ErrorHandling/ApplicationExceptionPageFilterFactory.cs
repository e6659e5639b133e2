using Microsoft.AspNetCore.Mvc.Filters;

namespace CleanCognito.Web.ErrorHandling;

/// <summary>Resolves the page filter from DI per request, so it can log.</summary>
internal sealed class ApplicationExceptionPageFilterFactory : IFilterFactory
{
    public bool IsReusable => false;

    public IFilterMetadata CreateInstance(IServiceProvider serviceProvider) =>
        serviceProvider.GetRequiredService<ApplicationExceptionPageFilter>();
}
