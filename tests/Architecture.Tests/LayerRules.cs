using Mediator;
using NetArchTest.Rules;

namespace CleanCognito.Architecture.Tests;

/// <summary>
/// The dependency rules of docs/decisions/0001-architecture.md. Each rule takes the types it checks,
/// so the tests run it once on the real layer (must pass) and once on a deliberately violating
/// sample (must fail): a rule that cannot fail proves nothing.
/// </summary>
internal static class LayerRules
{
    /// <summary>The types of one layer: all of its assembly, or one namespace of the samples.</summary>
    public static PredicateList Layer(System.Reflection.Assembly assembly, string @namespace = "") =>
        Types.InAssembly(assembly).That().ResideInNamespaceStartingWith(@namespace);

    /// <summary>Dependencies every compiled type may have: the BCL and compiler-emitted attributes.</summary>
    private static readonly string[] Runtime = ["System", "Microsoft.CodeAnalysis", "<PrivateImplementationDetails>"];

    /// <summary>Domain: plain types. Nothing of ours above it, no package.</summary>
    public static IReadOnlyList<string> DomainDependsOnNothing(PredicateList domain) =>
        Failures(domain.Should().OnlyHaveDependenciesOn([.. Runtime, "CleanCognito.Domain"]).GetResult());

    /// <summary>Application: Domain, the mediator and logging abstractions, FluentValidation; no transport, AWS or ASP.NET types.</summary>
    public static IReadOnlyList<string> ApplicationDependsOnDomainOnly(PredicateList application) =>
    [
        .. Failures(application.Should().OnlyHaveDependenciesOn(
            [.. Runtime, "CleanCognito.Application", "CleanCognito.Domain", "Mediator", "FluentValidation", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Logging"]).GetResult()),
        .. Failures(application.ShouldNot().HaveDependencyOnAny(
            "CleanCognito.Infrastructure", "CleanCognito.Web", "Amazon", "Refit", "Microsoft.AspNetCore", "System.Net.Http", "Polly").GetResult()),
    ];

    public static IReadOnlyList<string> InfrastructureDoesNotDependOnWeb(PredicateList infrastructure) =>
        Failures(infrastructure.ShouldNot().HaveDependencyOn("CleanCognito.Web").GetResult());

    /// <summary>
    /// Page models and the views compiled from .cshtml (in the pages namespace through _ViewImports,
    /// or <c>AspNetCoreGeneratedDocument</c> without it) talk to use cases through the mediator only, never to adapters.
    /// </summary>
    public static IReadOnlyList<string> PagesDoNotUseInfrastructure(Types web, string pagesNamespace = "CleanCognito.Web.Pages") =>
        Failures(web.That().ResideInNamespaceStartingWith(pagesNamespace).Or().ResideInNamespace("AspNetCoreGeneratedDocument")
            .ShouldNot().HaveDependencyOn("CleanCognito.Infrastructure").GetResult());

    /// <summary>Every mediator handler is a use case, and use cases live in Application.</summary>
    public static IReadOnlyList<string> HandlersLiveInApplication(IEnumerable<Type> types) =>
        types.Where(IsHandler)
            .Where(t => t.Namespace?.StartsWith("CleanCognito.Application", StringComparison.Ordinal) != true)
            .Select(t => t.FullName!)
            .ToList();

    /// <summary>
    /// A handler's constructor takes ports (interfaces: the app's ports, loggers, options), the clock, or
    /// settings records; never another handler (which would skip that use case's validation) nor any
    /// other concrete service.
    /// </summary>
    public static IReadOnlyList<string> HandlersDependOnPortsOnly(IEnumerable<Type> types) =>
        types.Where(IsHandler)
            .SelectMany(handler => handler.GetConstructors()
                .SelectMany(constructor => constructor.GetParameters())
                .Where(parameter => !IsPortOrSetting(parameter.ParameterType))
                .Select(parameter => $"{handler.FullName}({parameter.ParameterType.Name} {parameter.Name})"))
            .ToList();

    private static bool IsPortOrSetting(Type type) =>
        !IsHandler(type)
        && (type.IsInterface
            || type == typeof(TimeProvider)
            // Records are values (UploadLimit, SignOutPolicy): the compiler gives every record class a <Clone>$ method.
            || type.GetMethod("<Clone>$") is not null
            || (type.IsValueType && type.Namespace?.StartsWith("CleanCognito.", StringComparison.Ordinal) == true));

    private static readonly Type[] HandlerInterfaces = typeof(IQueryHandler<,>).Assembly.GetExportedTypes()
        .Where(t => t.IsInterface && t.IsGenericTypeDefinition && t.Name.Contains("Handler", StringComparison.Ordinal))
        .ToArray();

    private static bool IsHandler(Type type) =>
        type is { IsClass: true, IsAbstract: false }
        && type.GetInterfaces().Any(i => i.IsGenericType && HandlerInterfaces.Contains(i.GetGenericTypeDefinition()));

    private static List<string> Failures(TestResult result) =>
        result.IsSuccessful ? [] : result.FailingTypeNames?.ToList() ?? ["(unnamed type)"];
}
