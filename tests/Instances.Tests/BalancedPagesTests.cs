using System.Net;
using System.Net.Http.Headers;
using CleanCognito.TestSupport.Instances;

namespace CleanCognito.Instances.Tests;

/// <summary>
/// The whole journey through the balancer, whose round-robin sends each request of the one browser
/// to the other instance: a sign-in started on one finishes on the other, a form one renders posts
/// to the other, a file one uploads the other lists and hands out.
/// </summary>
[Collection(CleanCognito.TestSupport.LocalAwsGroup.Name)]
public sealed class BalancedPagesTests(BalancedApp app) : BalancedTest(app)
{
    private const string Seeded = "/Objects/1234567890abcdef";

    [Fact]
    public async Task Every_page_works_signed_in_while_requests_alternate_between_the_instances()
    {
        using var browser = App.NewBrowser();
        var served = new List<(string Request, string Instance, HttpStatusCode Status)>();

        async Task<HttpResponseMessage> Send(HttpRequestMessage request, HttpStatusCode expected)
        {
            var response = await browser.Http.SendAsync(request);
            served.Add(($"{request.Method} {request.RequestUri}", App.InstanceOf(response), response.StatusCode));
            response.StatusCode.Should().Be(expected, "{0} {1} through the balancer (instance {2}): {3}",
                request.Method, request.RequestUri, App.InstanceOf(response), await response.Content.ReadAsStringAsync());
            return response;
        }

        async Task<string> Page(string path)
        {
            using var response = await Send(new HttpRequestMessage(HttpMethod.Get, path), HttpStatusCode.OK);
            return await response.Content.ReadAsStringAsync();
        }

        async Task<string> Post(string path, HttpContent form)
        {
            using var response = await Send(new HttpRequestMessage(HttpMethod.Post, path) { Content = form }, HttpStatusCode.Redirect);
            return response.Headers.Location!.OriginalString;
        }

        var signIn = await browser.SignInAsync(App.Stack.Alice, "/Account/Profile");
        signIn.LandedOn.Should().Be("/Account/Profile");

        (await Page("/")).Should().Contain("alice");
        (await Page("/Account/Profile")).Should().Contain("id=\"profile-username\">alice<");
        var objects = await Page("/Objects");
        objects.Should().Contain(Seeded);
        (await Page(Seeded)).Should().Contain("id=\"rename-form\"", "alice is an editor");

        // An object created from a form rendered by one instance, renamed and deleted through the other.
        var created = await Post("/Objects?handler=Create", Form(objects, ("NewObject.Name", "Made behind the balancer")));
        var details = await Page(created);
        details.Should().Contain("Made behind the balancer");
        (await Post($"{created}/Rename", Form(details, ("Input.Name", "Renamed behind the balancer")))).Should().Be(created);
        (await Page(created)).Should().Contain("Renamed behind the balancer");
        var confirmDelete = await Page($"{created}/Delete");
        (await Post($"{created}/Delete", Form(confirmDelete))).Should().StartWith("/Objects");

        // A file uploaded through one instance, listed by the other, handed out by S3 with a presigned URL.
        var content = "uploaded behind the balancer"u8.ToArray();
        var files = await Page("/Files");
        using (var upload = new MultipartFormDataContent())
        {
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            upload.Add(file, "file", "balanced.txt");
            upload.Add(new StringContent(AntiforgeryToken(files)), "__RequestVerificationToken");
            (await Post("/Files?handler=Upload", upload)).Should().StartWith("/Files");
        }

        (await Page("/Files")).Should().Contain("data-name=\"balanced.txt\"");
        using (var download = await Send(new HttpRequestMessage(HttpMethod.Get, "/Files/Download?name=balanced.txt"), HttpStatusCode.Redirect))
        {
            using var s3 = new HttpClient();
            (await s3.GetByteArrayAsync(download.Headers.Location!)).Should().Equal(content);
        }

        var confirmFileDelete = await Page("/Files/Delete?name=balanced.txt");
        (await Post("/Files/Delete", Form(confirmFileDelete, ("name", "balanced.txt")))).Should().StartWith("/Files");
        (await Page("/Files")).Should().NotContain("data-name=\"balanced.txt\"");

        // A note written through one instance, listed by the other, deleted after a confirmation from either.
        var notes = await Page("/Notes");
        (await Post("/Notes?handler=Create", Form(notes, ("NewNote.Text", "written behind the balancer")))).Should().StartWith("/Notes");
        var listed = await Page("/Notes");
        listed.Should().Contain("written behind the balancer");
        var noteId = System.Text.RegularExpressions.Regex.Match(listed, "<li data-id=\"([^\"]+)\"").Groups[1].Value;
        var confirmNoteDelete = await Page($"/Notes/Delete/{noteId}");
        (await Post($"/Notes/Delete/{noteId}", Form(confirmNoteDelete))).Should().StartWith("/Notes");
        (await Page("/Notes")).Should().NotContain(noteId);

        // Sign-out from a form one instance rendered, posted to the other.
        var signOutPage = await Page("/Account/Logout");
        (await Post("/Account/Logout", Form(signOutPage))).Should().StartWith($"{App.Stack.Idp}/logout");
        (await Page("/Account/SignedOut")).Should().NotContain("profile-username");

        served.Select(s => s.Instance).Distinct().Should().BeEquivalentTo(["A", "B"]);
        served.Zip(served.Skip(1)).Should().OnlyContain(pair => pair.First.Instance != pair.Second.Instance,
            "round-robin without stickiness sends each next request of the browser to the other instance: {0}",
            string.Join(", ", served.Select(s => $"{s.Request} → {s.Instance}")));
    }

    private static FormUrlEncodedContent Form(string page, params (string Name, string Value)[] fields)
    {
        var values = new Dictionary<string, string> { ["__RequestVerificationToken"] = AntiforgeryToken(page) };
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        return new FormUrlEncodedContent(values);
    }
}
