using System.Reflection;

namespace CleanCognito.Architecture.Tests;

/// <summary>The product's assemblies, one per layer.</summary>
internal static class Layers
{
    public static Assembly Domain { get; } = typeof(CleanCognito.Domain.Objects.MyObject).Assembly;

    public static Assembly Application { get; } = typeof(CleanCognito.Application.DependencyInjection).Assembly;

    public static Assembly Infrastructure { get; } = typeof(CleanCognito.Infrastructure.DependencyInjection).Assembly;

    public static Assembly Web { get; } = typeof(CleanCognito.Web.DependencyInjection).Assembly;

    public static Assembly[] All { get; } = [Domain, Application, Infrastructure, Web];

    /// <summary>This test assembly: it holds deliberately violating types (namespace <c>*.ArchitectureViolations</c>) that prove each rule can fail.</summary>
    public static Assembly Samples { get; } = typeof(Layers).Assembly;
}
