using CleanCognito.Application.Common.Interfaces;
using Microsoft.Extensions.Time.Testing;

namespace CleanCognito.Application.UnitTests.Credentials;

/// <summary>Counts exchanges; each answer can be held back until <see cref="Release"/> to line up concurrent callers.</summary>
internal sealed class FakeCredentialExchange(FakeTimeProvider time) : ICredentialExchange
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _getIdCalls;
    private int _credentialCalls;

    public bool HoldAnswers { get; init; }

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    public int GetIdCalls => _getIdCalls;

    public int CredentialCalls => _credentialCalls;

    /// <summary>The tokens the last GetCredentialsForIdentity presented.</summary>
    public UserTokens? LastCredentialTokens { get; private set; }

    public static string IdentityIdOf(string userId) => $"us-east-1:{Guid.Parse(userId.PadLeft(32, '0')[..32]):D}";

    public void Release() => _gate.TrySetResult();

    public async Task<string> GetIdentityIdAsync(UserTokens tokens, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _getIdCalls);
        if (HoldAnswers)
        {
            await _gate.Task.WaitAsync(cancellationToken);
        }

        return IdentityIdOf(tokens.UserId);
    }

    public async Task<IdentityCredentials> GetCredentialsAsync(string identityId, UserTokens tokens, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _credentialCalls);
        LastCredentialTokens = tokens;
        if (HoldAnswers)
        {
            await _gate.Task.WaitAsync(cancellationToken);
        }

        return new IdentityCredentials(identityId, $"ASIA{n:D12}", $"secret-{n}", $"token-{n}", time.GetUtcNow() + Lifetime);
    }
}
