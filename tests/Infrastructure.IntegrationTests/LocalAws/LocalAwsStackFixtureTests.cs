using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.LocalAws;

/// <summary>The fixture fails with a message that says what to install, never with a bare timeout.</summary>
public sealed class LocalAwsStackFixtureTests : IDisposable
{
    private readonly DirectoryInfo _checkout = Directory.CreateTempSubdirectory("cleancognito-checkout-");

    [Fact]
    public async Task Missing_node_is_reported_by_name()
    {
        var stack = LocalAwsStack.With("no-such-node-binary", "moto_server", RepositoryRoot.Path);

        var act = stack.InitializeAsync;

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("Node.js 20+").And.Contain("no-such-node-binary");
    }

    [Fact]
    public async Task Missing_moto_server_says_how_to_install_it()
    {
        var stack = LocalAwsStack.With("node", "no-such-moto-server", RepositoryRoot.Path);

        var act = stack.InitializeAsync;

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("pip install \"moto[server]\"");
    }

    [Fact]
    public async Task Missing_npm_packages_say_to_run_npm_ci()
    {
        var stackDir = Directory.CreateDirectory(Path.Combine(_checkout.FullName, "dev", "local-aws"));
        await File.WriteAllTextAsync(Path.Combine(stackDir.FullName, "stack.mjs"), "// not run");
        var stack = LocalAwsStack.With("node", "moto_server", _checkout.FullName);

        var act = stack.InitializeAsync;

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("run npm ci in dev/local-aws");
    }

    public void Dispose() => _checkout.Delete(recursive: true);
}
