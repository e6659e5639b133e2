using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Infrastructure.IntegrationTests.CognitoIdentity;
using CleanCognito.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CleanCognito.Infrastructure.IntegrationTests.Notes;

/// <summary>
/// A signed-in user (real tokens from the hosted UI stand-in) with a host of the app's registrations:
/// each <see cref="Request"/> is one request scope, as the app makes one per HTTP request.
/// </summary>
internal sealed class NotesUser : IDisposable
{
    private NotesUser(IHost host, UserTokens tokens)
    {
        Host = host;
        Tokens = tokens;
    }

    public IHost Host { get; }

    public UserTokens Tokens { get; }

    public static async Task<NotesUser> SignInAsync(LocalAwsStack stack, LocalUser user, Action<Dictionary<string, string?>>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var tokens = await CognitoIdentityStandInTests.SignInAsync(stack, user);
        var all = stack.AppSettings();
        settings?.Invoke(all);
        var host = InfrastructureHost.Build(all, configure: services =>
        {
            services.AddScoped<ICurrentUserTokens>(_ => new Signed(tokens));
            configure?.Invoke(services);
        });
        return new NotesUser(host, tokens);
    }

    /// <summary>Runs <paramref name="work"/> in a new request scope with that request's note store.</summary>
    public async Task<T> Request<T>(Func<INoteStore, Task<T>> work)
    {
        using var scope = Host.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<INoteStore>());
    }

    public async Task Request(Func<INoteStore, Task> work)
    {
        using var scope = Host.Services.CreateScope();
        await work(scope.ServiceProvider.GetRequiredService<INoteStore>());
    }

    public void Dispose() => Host.Dispose();

    private sealed class Signed(UserTokens tokens) : ICurrentUserTokens
    {
        public UserTokens GetTokens() => tokens;

        public ValueTask<UserTokens?> RefreshAsync(CancellationToken cancellationToken) => ValueTask.FromResult<UserTokens?>(null);

        public string? GetRefreshToken() => null;
    }
}
