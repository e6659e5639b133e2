using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace CleanCognito.Web.FunctionalTests.Files;

/// <summary>What a browser does on /Files, as HTTP: read the antiforgery token, post forms, follow links.</summary>
internal sealed partial class FilesClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public async Task<string> ListHtmlAsync(string query = "")
    {
        using var response = await Http.GetAsync(new Uri($"/Files{query}", UriKind.Relative));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<string> AntiforgeryTokenAsync(string path = "/Files")
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        return TokenField().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"No antiforgery token on {path}:\n{html}");
    }

    public async Task<HttpResponseMessage> UploadFormAsync(string fileName, byte[] content, bool overwrite = false) =>
        await (await PrepareUploadFormAsync(fileName, content, overwrite))();

    /// <summary>Reads the antiforgery token now and returns the post to send later (to start several uploads at one moment).</summary>
    public async Task<Func<Task<HttpResponseMessage>>> PrepareUploadFormAsync(string fileName, byte[] content, bool overwrite = false)
    {
        var token = await AntiforgeryTokenAsync();
        return () => PostUploadFormAsync(token, fileName, content, overwrite);
    }

    private async Task<HttpResponseMessage> PostUploadFormAsync(string token, string fileName, byte[] content, bool overwrite)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        // Set the raw header so a name like "../x" reaches the server exactly as written.
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = $"\"{fileName}\"" };
        form.Add(file);
        form.Add(new StringContent(token), "__RequestVerificationToken");
        if (overwrite)
        {
            form.Add(new StringContent("true"), "overwrite");
        }

        return await Http.PostAsync(new Uri("/Files?handler=Upload", UriKind.Relative), form);
    }

    public async Task<HttpResponseMessage> UploadStreamAsync(string name, byte[] content, bool overwrite = false)
    {
        var token = await AntiforgeryTokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/Files?handler=Stream&name={Uri.EscapeDataString(name)}&overwrite={overwrite}&type=text%2Fplain", UriKind.Relative))
        {
            Content = new ByteArrayContent(content),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.Add("RequestVerificationToken", token);
        return await Http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> DeleteAsync(string name)
    {
        var token = await AntiforgeryTokenAsync($"/Files/Delete?name={Uri.EscapeDataString(name)}");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = name, ["__RequestVerificationToken"] = token });
        return await Http.PostAsync(new Uri("/Files/Delete", UriKind.Relative), form);
    }

    public Task<HttpResponseMessage> DownloadAsync(string name) =>
        Http.GetAsync(new Uri($"/Files/Download?name={Uri.EscapeDataString(name)}", UriKind.Relative));

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
