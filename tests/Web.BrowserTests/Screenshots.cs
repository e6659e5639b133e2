using System.Buffers.Binary;
using CleanCognito.TestSupport;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests;

/// <summary>
/// Full-page screenshots kept as test artifacts in TestResults/screenshots/ (not committed). A shot
/// is taken only once what it must show is visible, and each is checked to be a PNG of the whole page
/// as laid out that contains those elements — not a file of some size.
/// </summary>
internal static class Screenshots
{
    public static string Directory { get; } = Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots");

    /// <summary>
    /// Waits until every element of <paramref name="showing"/> is visible, saves the page and returns
    /// the path, after checking the image covers the page and every one of those elements.
    /// </summary>
    public static async Task<string> SaveAsync(IPage page, string fileName, params ILocator[] showing)
    {
        showing.Should().NotBeEmpty("a screenshot test says what the page must show");
        foreach (var element in showing)
        {
            await Assertions.Expect(element).ToBeVisibleAsync();
        }

        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, fileName);
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });

        var (width, height) = Size(png);
        var documentHeight = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        width.Should().Be(page.ViewportSize!.Width, "a full-page shot is as wide as the viewport");
        height.Should().BeGreaterThanOrEqualTo(documentHeight, "a full-page shot covers the whole document");
        (await File.ReadAllBytesAsync(path)).Should().Equal(png, "the file on disk is the image taken");
        foreach (var element in showing)
        {
            var box = (await element.BoundingBoxAsync())!;
            var scrollY = await page.EvaluateAsync<float>("() => window.scrollY");
            box.Width.Should().BePositive();
            (box.X + box.Width).Should().BeLessThanOrEqualTo(width + 0.5f, $"{element} is inside the shot, not cut off at the side");
            (box.Y + scrollY + box.Height).Should().BeLessThanOrEqualTo(height + 0.5f, $"{element} is inside the shot");
        }

        return path;
    }

    /// <summary>Width and height from a PNG's IHDR chunk, after checking the signature.</summary>
    private static (int Width, int Height) Size(byte[] png)
    {
        png.Should().HaveCountGreaterThan(24);
        png.Take(8).Should().Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], "a PNG signature");
        System.Text.Encoding.ASCII.GetString(png, 12, 4).Should().Be("IHDR");
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}
