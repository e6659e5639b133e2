using System.Net;
using System.Text.RegularExpressions;

namespace CleanCognito.Web.FunctionalTests.Notes;

/// <summary>What a browser does on /Notes, as HTTP: read the antiforgery token, post the forms, follow links.</summary>
internal sealed partial class NotesClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<string> AntiforgeryTokenAsync(string path = "/Notes")
    {
        var (_, html) = await GetAsync(path);
        return TokenField().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"No antiforgery token on {path}:\n{html}");
    }

    public async Task<HttpResponseMessage> CreateAsync(string text, bool withToken = true)
    {
        var fields = new Dictionary<string, string> { ["NewNote.Text"] = text };
        if (withToken)
        {
            fields["__RequestVerificationToken"] = await AntiforgeryTokenAsync();
        }

        using var form = new FormUrlEncodedContent(fields);
        return await Http.PostAsync(new Uri("/Notes?handler=Create", UriKind.Relative), form);
    }

    public async Task<HttpResponseMessage> DeleteAsync(string id, string? tokenFrom = null)
    {
        var token = await AntiforgeryTokenAsync(tokenFrom ?? $"/Notes/Delete/{id}");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        return await Http.PostAsync(new Uri($"/Notes/Delete/{Uri.EscapeDataString(id)}", UriKind.Relative), form);
    }

    /// <summary>The ids on the first page of the list, newest first.</summary>
    public async Task<IReadOnlyList<string>> IdsAsync()
    {
        var (_, html) = await GetAsync("/Notes");
        return NoteIdAttribute().Matches(html).Select(m => m.Groups[1].Value).ToList();
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("<li data-id=\"([^\"]+)\"")]
    private static partial Regex NoteIdAttribute();
}
