using System.Net;
using System.Text.RegularExpressions;

namespace CleanCognito.Web.FunctionalTests;

public sealed partial class StaticAssetsTests(FunctionalTestFactory factory) : IClassFixture<FunctionalTestFactory>
{
    [Theory]
    [InlineData(null)]
    [InlineData("gzip, deflate, br")]
    public async Task The_stylesheet_the_layout_links_is_served_as_css_with_content(string? acceptEncoding)
    {
        using var client = factory.CreateHttpsClient();
        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var href = StylesheetLink().Match(html).Groups[1].Value;
        href.Should().StartWith("/css/site");
        using var request = new HttpRequestMessage(HttpMethod.Get, href);
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.Should().Be("text/css");
        (await response.Content.ReadAsByteArrayAsync()).Should().NotBeEmpty("browsers always send Accept-Encoding; an empty stylesheet leaves the site unstyled");
    }

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"([^\"]+)\"")]
    private static partial Regex StylesheetLink();
}
