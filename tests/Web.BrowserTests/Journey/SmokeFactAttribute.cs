namespace CleanCognito.Web.BrowserTests.Journey;

/// <summary>
/// A test that runs only when <c>SMOKE_URL</c> names a deployed app (<c>deploy/smoke.sh URL</c> sets it);
/// otherwise it is reported as skipped, never as passed.
/// </summary>
public sealed class SmokeFactAttribute : FactAttribute
{
    public const string UrlVariable = "SMOKE_URL";

    public SmokeFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(UrlVariable)))
        {
            Skip = $"{UrlVariable} is not set: run deploy/smoke.sh URL against a deployed app.";
        }
    }
}
