using CleanCognito.Web.Paging;
using Microsoft.AspNetCore.WebUtilities;

namespace CleanCognito.Web.FunctionalTests.Objects;

public sealed class PageTrailTests
{
    [Fact]
    public void Next_pushes_the_current_page_and_previous_pops_it()
    {
        var first = new PageTrail(10, null, null);
        var secondUrl = first.NextUrl("/Objects", "t2");
        var second = Parse(secondUrl);
        var thirdUrl = second.NextUrl("/Objects", "t3");
        var third = Parse(thirdUrl);

        first.HasPrevious.Should().BeFalse();
        secondUrl.Should().Be("/Objects?pageSize=10&nextToken=t2&prev=");
        thirdUrl.Should().Be("/Objects?pageSize=10&nextToken=t3&prev=&prev=t2");
        third.PreviousUrl("/Objects").Should().Be(secondUrl);
        second.PreviousUrl("/Objects").Should().Be("/Objects?pageSize=10");
        third.FirstUrl("/Objects").Should().Be("/Objects?pageSize=10");
    }

    [Fact]
    public void A_long_trail_drops_its_oldest_tokens_to_keep_the_url_short()
    {
        var token = new string('t', 1000);
        var trail = new PageTrail(10, "current", [token + "1", token + "2", token + "3", token + "4"]);

        var previous = QueryHelpers.ParseQuery(new Uri("http://x" + trail.NextUrl("/Objects", "next")).Query)["prev"];

        previous.Sum(t => t!.Length).Should().BeLessThanOrEqualTo(PageTrail.MaxChars);
        previous.ToArray().Should().EndWith([token + "4", "current"], "the most recent pages are the ones kept");
    }

    private static PageTrail Parse(string url)
    {
        var query = QueryHelpers.ParseQuery(new Uri("http://x" + url).Query);
        return new PageTrail(
            int.Parse(query["pageSize"]!, System.Globalization.CultureInfo.InvariantCulture),
            query.TryGetValue("nextToken", out var token) ? token.ToString() : null,
            query.TryGetValue("prev", out var prev) ? prev.ToArray() : null);
    }
}
