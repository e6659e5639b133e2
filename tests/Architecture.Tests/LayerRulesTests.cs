using NetArchTest.Rules;

namespace CleanCognito.Architecture.Tests;

public sealed class LayerRulesTests
{
    private static PredicateList Samples(string layer) =>
        LayerRules.Layer(Layers.Samples, $"CleanCognito.{layer}.ArchitectureViolations");

    [Theory]
    [InlineData("Domain")]
    [InlineData("Application")]
    [InlineData("Infrastructure")]
    public void The_layer_rules_see_the_layers_types(string layer)
    {
        var assembly = Layers.All.Single(a => a.GetName().Name == $"CleanCognito.{layer}");
        LayerRules.Layer(assembly).GetTypes().Should().Contain(t => t.Namespace != null && t.Namespace.StartsWith($"CleanCognito.{layer}.", StringComparison.Ordinal));
    }

    [Fact]
    public void Domain_depends_on_nothing_of_ours_or_any_package()
    {
        LayerRules.DomainDependsOnNothing(LayerRules.Layer(Layers.Domain)).Should().BeEmpty();
    }

    [Fact]
    public void The_domain_rule_fails_for_a_type_using_Application_or_a_package()
    {
        LayerRules.DomainDependsOnNothing(Samples("Domain")).Should().BeEquivalentTo(
            "CleanCognito.Domain.ArchitectureViolations.UsesAnApplicationPort",
            "CleanCognito.Domain.ArchitectureViolations.UsesAPackage");
    }

    [Fact]
    public void Application_depends_on_Domain_only_with_no_AWS_Refit_ASP_NET_or_HTTP_types()
    {
        LayerRules.ApplicationDependsOnDomainOnly(LayerRules.Layer(Layers.Application)).Should().BeEmpty();
    }

    [Fact]
    public void The_application_rule_fails_for_AWS_SDK_Refit_ASP_NET_and_HttpClient_types()
    {
        LayerRules.ApplicationDependsOnDomainOnly(Samples("Application")).Distinct().Should().BeEquivalentTo(
            "CleanCognito.Application.ArchitectureViolations.UsesTheAwsSdk",
            "CleanCognito.Application.ArchitectureViolations.UsesRefit",
            "CleanCognito.Application.ArchitectureViolations.UsesAspNetCore",
            "CleanCognito.Application.ArchitectureViolations.UsesHttpClient");
    }

    [Fact]
    public void Infrastructure_does_not_depend_on_Web()
    {
        LayerRules.InfrastructureDoesNotDependOnWeb(LayerRules.Layer(Layers.Infrastructure)).Should().BeEmpty();
    }

    [Fact]
    public void The_infrastructure_rule_fails_for_a_type_using_Web()
    {
        LayerRules.InfrastructureDoesNotDependOnWeb(Samples("Infrastructure"))
            .Should().Equal("CleanCognito.Infrastructure.ArchitectureViolations.UsesTheWebLayer");
    }

    [Fact]
    public void Pages_and_their_views_do_not_use_Infrastructure_types()
    {
        var web = Types.InAssembly(Layers.Web);
        web.That().ResideInNamespaceStartingWith("CleanCognito.Web.Pages").GetTypes()
            .Should().NotBeEmpty("the rule must look at the real page models");
        web.That().ResideInNamespaceStartingWith("CleanCognito.Web.Pages").And().HaveNameStartingWith("Pages_").GetTypes()
            .Should().NotBeEmpty("the rule must look at the views compiled from .cshtml too (_ViewImports puts them in the pages namespace)");

        LayerRules.PagesDoNotUseInfrastructure(web).Should().BeEmpty();
    }

    [Fact]
    public void The_pages_rule_fails_for_a_page_using_Infrastructure()
    {
        LayerRules.PagesDoNotUseInfrastructure(Types.InAssembly(Layers.Samples), "CleanCognito.Web.ArchitectureViolations.Pages")
            .Should().Equal("CleanCognito.Web.ArchitectureViolations.Pages.PageUsingInfrastructure");
    }

    [Fact]
    public void Handlers_live_in_Application()
    {
        var all = Layers.All.SelectMany(a => a.GetTypes()).ToList();
        all.Should().Contain(typeof(CleanCognito.Application.Objects.GetMyObject.GetMyObjectQueryHandler), "the rule must see the real handlers");

        LayerRules.HandlersLiveInApplication(all).Should().BeEmpty();
    }

    [Fact]
    public void The_handlers_rule_fails_for_a_handler_outside_Application()
    {
        LayerRules.HandlersLiveInApplication(Layers.Samples.GetTypes())
            .Should().Equal("CleanCognito.Web.ArchitectureViolations.Handlers.HandlerOutsideApplication");
    }

    [Fact]
    public void Handlers_take_ports_options_and_loggers_never_another_handler()
    {
        var handlers = Layers.Application.GetTypes().Where(t => t.Name.EndsWith("Handler", StringComparison.Ordinal)).ToList();
        handlers.Should().Contain(typeof(CleanCognito.Application.Overview.GetOverview.GetOverviewQueryHandler), "the rule must see the real handlers");

        LayerRules.HandlersDependOnPortsOnly(Layers.Application.GetTypes()).Should().BeEmpty();
    }

    [Fact]
    public void The_handler_dependencies_rule_fails_for_a_handler_taking_another_handler_or_a_concrete_service()
    {
        LayerRules.HandlersDependOnPortsOnly(Layers.Samples.GetTypes().Where(t => t.Namespace == "CleanCognito.Application.ArchitectureViolations.Handlers"))
            .Should().BeEquivalentTo(
                "CleanCognito.Application.ArchitectureViolations.Handlers.HandlerCallingAHandler(ListHandler list)",
                "CleanCognito.Application.ArchitectureViolations.Handlers.HandlerCallingAHandler(ConcreteService service)");
    }
}
