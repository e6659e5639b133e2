using Microsoft.IdentityModel.JsonWebTokens;

namespace CleanCognito.TestSupport;

/// <summary>
/// Waits for a short-lived token from the stand-in to expire. The stand-in is another process that
/// signs with the real clock, so a fake clock cannot move it: the wait is for the token's own
/// <c>exp</c> (a condition), not a guess at how long something takes.
/// </summary>
public static class Expiry
{
    /// <summary>Until a little past the <c>exp</c> of <paramref name="token"/>; returns that <c>exp</c>.</summary>
    public static async Task<DateTime> WaitPastAsync(string token)
    {
        var exp = new JsonWebToken(token).ValidTo;
        var wait = exp - DateTime.UtcNow + TimeSpan.FromSeconds(1.5);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        return exp;
    }
}
