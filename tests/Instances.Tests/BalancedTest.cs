using System.Net;
using System.Text.RegularExpressions;
using CleanCognito.TestSupport.Instances;

namespace CleanCognito.Instances.Tests;

/// <summary>What every balanced test starts from: both instances and Redis up, reached by the balancer.</summary>
public abstract partial class BalancedTest(BalancedApp app) : IAsyncLifetime
{
    protected BalancedApp App { get; } = app;

    public Task InitializeAsync() => App.EnsureAllRunningAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    protected static string AntiforgeryToken(string html) =>
        TokenField().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"No antiforgery token in the page:\n{html}");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
