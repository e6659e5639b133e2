using System.Globalization;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace CleanCognito.Web.TagHelpers;

/// <summary>
/// <c>&lt;local-time value="@date" /&gt;</c> renders <c>&lt;time datetime="…Z" data-local&gt;</c> with
/// the instant in invariant UTC, so the page is right without script; <c>wwwroot/js/local-time.js</c>
/// then rewrites the text in the reader's own locale and time zone, which only the browser knows.
/// </summary>
[HtmlTargetElement("local-time", TagStructure = TagStructure.WithoutEndTag)]
public sealed class LocalTimeTagHelper : TagHelper
{
    public DateTimeOffset Value { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var utc = Value.ToUniversalTime();
        output.TagName = "time";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("datetime", utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        output.Attributes.SetAttribute("data-local", null);
        output.Content.SetContent(utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
    }
}
