using System.Net;
using System.Text.RegularExpressions;
using CleanCognito.Domain.Objects;

namespace CleanCognito.Web.FunctionalTests.Objects;

/// <summary>"Open by id" says the id format before the first mistake, and its field is described by it (and by the error once there is one).</summary>
public sealed partial class OpenByIdHintTests(FunctionalTestFactory factory) : IClassFixture<FunctionalTestFactory>
{
    [Fact]
    public async Task The_id_format_is_shown_and_describes_the_field_before_any_mistake()
    {
        using var client = factory.CreateHttpsClient();

        // The scripted API refuses the list (502): the page, with its forms, still renders.
        using var response = await client.GetAsync(new Uri("/Objects", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        WebUtility.HtmlDecode(Hint().Match(html).Groups[1].Value).Should().Be(MyObjectId.Requirement);
        FindInput().Match(html).Value.Should().Contain("aria-describedby=\"find-hint\"");
    }

    [Fact]
    public async Task After_a_wrong_id_the_field_is_described_by_the_format_and_the_error()
    {
        using var client = factory.CreateHttpsClient();

        using var response = await client.GetAsync(new Uri("/Objects?handler=Find&id=no%20way", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        FindInput().Match(html).Value.Should().Contain("aria-describedby=\"find-hint find-error\"").And.Contain("input-validation-error");
        html.Should().MatchRegex("id=\"find-error\"[^>]*>An object id is 1 to 64");
    }

    [GeneratedRegex("<p class=\"hint\" id=\"find-hint\">([^<]*)</p>")]
    private static partial Regex Hint();

    [GeneratedRegex("<input id=\"find-id\"[^>]*>")]
    private static partial Regex FindInput();
}
