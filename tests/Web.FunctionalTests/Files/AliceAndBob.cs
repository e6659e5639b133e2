using CleanCognito.TestSupport;

namespace CleanCognito.Web.FunctionalTests.Files;

/// <summary>The app twice over the same stand-ins, signed in as alice and as bob: the pair every isolation test needs.</summary>
internal sealed class AliceAndBob : IAsyncDisposable
{
    public required FilesAppFactory Alice { get; init; }

    public required FilesAppFactory Bob { get; init; }

    public static async Task<AliceAndBob> StartAsync(LocalAwsStack stack) =>
        new() { Alice = await FilesAppFactory.ForAsync(stack, stack.Alice), Bob = await FilesAppFactory.ForAsync(stack, stack.Bob) };

    public async ValueTask DisposeAsync()
    {
        await Alice.DisposeAsync();
        await Bob.DisposeAsync();
    }
}
