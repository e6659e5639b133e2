// Deliberately violating types. Each sits in a namespace named after the layer it pretends to be
// in, so LayerRulesTests can run the real rule on it and assert that the rule fails.
#pragma warning disable CA1812, CA1822, IDE0051 // never instantiated; they exist only to be inspected

namespace CleanCognito.Domain.ArchitectureViolations
{
    /// <summary>A domain type that reaches up into Application.</summary>
    internal sealed class UsesAnApplicationPort
    {
        public CleanCognito.Application.Common.Interfaces.IGraphQlGateway? Gateway { get; set; }
    }

    /// <summary>A domain type that takes a package dependency.</summary>
    internal sealed class UsesAPackage : FluentValidation.AbstractValidator<string>;
}

namespace CleanCognito.Application.ArchitectureViolations
{
    /// <summary>An application type using the AWS SDK.</summary>
    internal sealed class UsesTheAwsSdk
    {
        public Amazon.S3.IAmazonS3? S3 { get; set; }
    }

    /// <summary>An application type using Refit.</summary>
    internal sealed class UsesRefit
    {
        public Refit.ApiException? LastError { get; set; }
    }

    /// <summary>An application type using ASP.NET Core.</summary>
    internal sealed class UsesAspNetCore
    {
        public Microsoft.AspNetCore.Http.HttpContext? Context { get; set; }
    }

    /// <summary>An application type using raw HTTP.</summary>
    internal sealed class UsesHttpClient
    {
        public System.Net.Http.HttpClient? Client { get; set; }
    }
}

namespace CleanCognito.Infrastructure.ArchitectureViolations
{
    /// <summary>An adapter that reaches into the web layer.</summary>
    internal sealed class UsesTheWebLayer
    {
        public Type Web => typeof(CleanCognito.Web.DependencyInjection);
    }
}

namespace CleanCognito.Web.ArchitectureViolations.Pages
{
    /// <summary>A page model that talks to an adapter's options directly instead of sending a request.</summary>
    internal sealed class PageUsingInfrastructure : Microsoft.AspNetCore.Mvc.RazorPages.PageModel
    {
        public CleanCognito.Infrastructure.AppSync.AppSyncOptions? Options { get; set; }
    }
}

namespace CleanCognito.Web.ArchitectureViolations.Handlers
{
    /// <summary>A use case handler written in the web layer.</summary>
    internal sealed class HandlerOutsideApplication
        : Mediator.IQueryHandler<HandlerOutsideApplication.Query, string>
    {
        public sealed record Query : Mediator.IQuery<string>;

        public ValueTask<string> Handle(Query query, CancellationToken cancellationToken) => ValueTask.FromResult("x");
    }
}

namespace CleanCognito.Application.ArchitectureViolations.Handlers
{
    public sealed record ListQuery : Mediator.IQuery<string>;

    public sealed record OverviewQuery : Mediator.IQuery<string>;

    /// <summary>A concrete class that is not a port: a handler must not take it.</summary>
    internal sealed class ConcreteService;

    /// <summary>A handler that takes only what the rule allows: a port, the clock, a logger.</summary>
    internal sealed class ListHandler(Mediator.ISender port, TimeProvider time, Microsoft.Extensions.Logging.ILogger<ListHandler> logger)
        : Mediator.IQueryHandler<ListQuery, string>
    {
        public ValueTask<string> Handle(ListQuery query, CancellationToken cancellationToken) =>
            ValueTask.FromResult($"{port}{time}{logger}");
    }

    /// <summary>A handler that calls another handler instead of a port, and takes a concrete service.</summary>
    internal sealed class HandlerCallingAHandler(ListHandler list, ConcreteService service)
        : Mediator.IQueryHandler<OverviewQuery, string>
    {
        public ValueTask<string> Handle(OverviewQuery query, CancellationToken cancellationToken) =>
            service is null ? default : list.Handle(new ListQuery(), cancellationToken);
    }
}
