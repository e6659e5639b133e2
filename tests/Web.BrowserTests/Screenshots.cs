using System.Buffers.Binary;
using CleanCognito.TestSupport;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests;

/// <summary>
/// Full-page screenshots kept as test artifacts in TestResults/screenshots/ (not committed), each
/// checked to be a PNG of the whole page as it is laid out, not just a file that was written.
/// </summary>
internal static class Screenshots
{
    public static string Directory { get; } = Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots");

    /// <summary>Saves the page and returns the path, after checking the image covers the page.</summary>
    public static async Task<string> SaveAsync(IPage page, string fileName)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, fileName);
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });

        var (width, height) = Size(png);
        var documentHeight = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        width.Should().Be(page.ViewportSize!.Width, "a full-page shot is as wide as the viewport");
        height.Should().BeGreaterThanOrEqualTo(documentHeight, "a full-page shot covers the whole document");
        (await File.ReadAllBytesAsync(path)).Should().Equal(png, "the file on disk is the image taken");
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
