using CleanCognito.TestSupport;

namespace CleanCognito.Architecture.Tests;

public sealed class SourceRulesTests
{
    private static readonly (string Path, string Text)[] Src = [.. SourceRules.SourceFiles(RepositoryRoot.Path)];

    [Fact]
    public void The_source_rules_read_every_layer()
    {
        Src.Should().Contain(f => f.Path == "src/Application/Overview/GetOverview/GetOverviewQuery.cs")
            .And.Contain(f => f.Path == "src/Infrastructure/Cognito/ValidatedTokenCache.cs")
            .And.Contain(f => f.Path == "src/Web/Program.cs")
            .And.NotContain(f => f.Path.Contains("/obj/", StringComparison.Ordinal), "generated files are not the source a reader opens");
    }

    [Fact]
    public void Every_src_file_declares_at_most_one_public_type()
    {
        // Joined, so a failure lists every file, not the first one.
        string.Join('\n', SourceRules.FilesWithMoreThanOnePublicType(Src)).Should().BeEmpty("one public type per file, named after it (a use case file may hold its request and the request's handler)");
    }

    [Fact]
    public void The_one_type_rule_fails_for_a_file_with_two_public_types()
    {
        const string TwoTypes = """
            namespace CleanCognito.Application.Common.Interfaces;

            public interface ICredentialStore { }

            public sealed record CachedCredentials(string Value);
            """;

        SourceRules.ExtraPublicTypes(TwoTypes).Should().Equal("ICredentialStore", "CachedCredentials");
        SourceRules.FilesWithMoreThanOnePublicType([("src/X.cs", TwoTypes)]).Should().Equal("src/X.cs: ICredentialStore, CachedCredentials");
    }

    [Theory]
    [InlineData("public enum Kind { A } public delegate void Done(); namespace Inner { public struct Pair { } }", "Kind, Done, Pair")]
    [InlineData("namespace N { public readonly record struct A(int X); public static class B { } }", "A, B")]
    [InlineData("public sealed record GetThingQuery; public sealed class GetThingQueryHandler { } public sealed record Thing;", "GetThingQuery, GetThingQueryHandler, Thing")]
    public void The_one_type_rule_counts_records_enums_delegates_and_every_namespace_form(string source, string expected)
    {
        SourceRules.ExtraPublicTypes(source).Should().Equal(expected.Split(", "));
    }

    [Theory]
    [InlineData("public sealed record GetThingQuery(string Id); public sealed class GetThingQueryHandler { }")]
    [InlineData("public sealed class Outer { public sealed record Nested; public enum Kind { A } }")]
    [InlineData("public sealed class Adapter { } internal sealed record Wire(string Body); file sealed class Helper { }")]
    public void The_one_type_rule_allows_a_request_with_its_handler_nested_types_and_non_public_helpers(string source)
    {
        SourceRules.ExtraPublicTypes(source).Should().BeEmpty();
    }

    [Fact]
    public void No_handler_constructs_another_handler()
    {
        string.Join('\n', SourceRules.HandlersConstructed(Src.Where(f => f.Path.StartsWith("src/Application/", StringComparison.Ordinal)))).Should().BeEmpty(
            "a handler calls ports; creating another handler skips its validation (move the shared reading into a helper both call)");
    }

    [Fact]
    public void The_construction_rule_fails_for_a_handler_creating_another()
    {
        const string Source = """
            public sealed class GetOverviewQueryHandler(IGraphQlGateway gateway)
            {
                public object Handle() => new ListMyObjectsQueryHandler(gateway).Handle(new ListMyObjectsQuery(10));
            }
            """;

        SourceRules.HandlersConstructed([("src/Application/X.cs", Source)]).Should().Equal("src/Application/X.cs: new ListMyObjectsQueryHandler(…)");
    }
}
